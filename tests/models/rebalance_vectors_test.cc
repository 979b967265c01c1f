// Full rebalancing outcomes derived by compiling oxen-core's own calc_swarm_changes: every node
// must land in exactly the swarm oxend puts it in.
#include <gtest/gtest.h>

#include <set>

#include "models/common/decimal.h"
#include "models/crypto/hash.h"
#include "models/swarm/assignment.h"
#include "tests/support/vectors.h"

namespace sessionsim::swarm {
namespace {

NodeKey snode(int n) {
    return crypto::sha256(as_bytes("snode-" + std::to_string(n)));
}

void register_nodes(SwarmAssignment& nodes, int first, int last) {
    for (int n = first; n <= last; ++n)
        nodes[snode(n)] = kUnassignedSwarmId;
}

/// Compares node -> swarm with the vector's swarm id -> member list; returns nodes compared.
std::size_t expect_matches(const SwarmAssignment& nodes, const nlohmann::json& expected,
                           const std::string& scenario) {
    SCOPED_TRACE(scenario);
    std::size_t compared = 0;
    std::set<std::string> seen;
    for (const auto& [swarm_text, members] : expected.items()) {
        const SwarmId swarm = parse_u64(swarm_text, "swarm id");
        for (const auto& member : members) {
            const auto key = fixed_from_hex<32>(member.get<std::string>(), "member");
            const auto it = nodes.find(key);
            if (it == nodes.end()) {
                ADD_FAILURE() << "node " << member << " missing";
                continue;
            }
            EXPECT_EQ(it->second, swarm) << "node " << member;
            seen.insert(member.get<std::string>());
            ++compared;
        }
    }
    EXPECT_EQ(seen.size(), nodes.size()) << "active nodes not listed in the vector";
    return compared;
}

TEST(RebalanceVectors, AllFourDerivedScenariosNodeForNode) {
    const auto doc = test::load_vectors("swarm_rebalance_derived.json");
    const auto& results = doc.at("results_swarm_id_to_member_pubkeys");
    ASSERT_EQ(doc.at("scenarios_in_order").size(), 4u);
    std::size_t nodes_compared = 0;

    SwarmAssignment nodes;
    register_nodes(nodes, 0, 19);
    rebalance_assignment(nodes, 42);
    nodes_compared += expect_matches(nodes, results.at("A_after_20_regs_seed42"), "A");

    register_nodes(nodes, 20, 29);
    rebalance_assignment(nodes, 1234567);
    nodes_compared += expect_matches(nodes, results.at("B_after_plus10_seed1234567"), "B");

    for (int n = 0; n <= 3; ++n)
        nodes.erase(snode(n));
    rebalance_assignment(nodes, 99);
    nodes_compared += expect_matches(nodes, results.at("C_after_removing_0to3_seed99"), "C");

    SwarmAssignment single;
    for (int block = 0; block < 40; ++block) {
        single[snode(100 + block)] = kUnassignedSwarmId;
        rebalance_assignment(single, static_cast<std::uint64_t>(block));
    }
    nodes_compared +=
        expect_matches(single, results.at("D_40_single_regs_seed_eq_block_index"), "D");

    EXPECT_EQ(nodes_compared, 20u + 30u + 26u + 40u);
    test::record_checked("swarm_rebalance_derived.json (4 scenarios, per-node swarm ids)",
                         nodes_compared);
}

TEST(RebalanceVectors, PubkeyRuleMatchesLabels) {
    const auto doc = test::load_vectors("swarm_rebalance_derived.json");
    std::size_t checked = 0;
    for (const auto& [hex, label] : doc.at("pubkey_labels").items()) {
        const std::string name = label.get<std::string>();
        EXPECT_EQ(to_hex(snode(std::stoi(name.substr(6)))), hex) << name;
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace sessionsim::swarm
