// Rebalancing behaviour and invariants (the properties oxen-core's own unit tests assert, plus
// random churn).
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "models/common/errors.h"
#include "models/swarm/assignment.h"
#include "models/swarm/portable_random.h"

namespace sessionsim::swarm {
namespace {

class KeySource {
public:
    explicit KeySource(std::uint64_t seed) : rng_(seed) {}
    NodeKey next() {
        NodeKey k;
        for (auto& b : k)
            b = static_cast<std::uint8_t>(rng_());
        return k;
    }

private:
    std::mt19937_64 rng_;
};

std::size_t expected_swarms_without_removals(std::size_t n) {
    return 1 + (n > kIdealSwarmSize ? n - kIdealSwarmSize : 0) / kIdealSwarmSize;
}

std::size_t excess_of(const SwarmMembers& swarms) {
    std::size_t e = 0;
    for (const auto& [id, m] : swarms)
        e += m.size() > kExcessBase ? m.size() - kExcessBase : 0;
    return e;
}

/// Every active node in exactly one real swarm; no starving swarm unless it is the only one.
void expect_healthy(const SwarmAssignment& nodes) {
    const auto swarms = members_by_swarm(nodes);
    ASSERT_EQ(swarms.count(kUnassignedSwarmId), 0u) << "a node was left unassigned";
    std::size_t total = 0;
    std::set<NodeKey> unique;
    for (const auto& [id, members] : swarms) {
        total += members.size();
        unique.insert(members.begin(), members.end());
        if (swarms.size() > 1) {
            EXPECT_GE(members.size(), kMinSwarmSize) << "swarm " << id << " is starving";
        }
    }
    EXPECT_EQ(total, nodes.size());
    EXPECT_EQ(unique.size(), nodes.size());
}

SwarmMembers register_all(std::size_t per_block, std::size_t blocks, KeySource& keys,
                          SwarmMembers swarms = {}) {
    std::size_t n = 0;
    for (const auto& [id, m] : swarms)
        n += m.size();
    for (std::size_t b = 0; b < blocks; ++b) {
        auto& fresh = swarms[kUnassignedSwarmId];
        for (std::size_t j = 0; j < per_block; ++j)
            fresh.push_back(keys.next());
        rebalance_swarms(swarms, b);
        n += per_block;
        EXPECT_EQ(swarms.size(), expected_swarms_without_removals(n)) << "n=" << n;
        if (n >= kIdealSwarmSize) {
            EXPECT_EQ(excess_of(swarms), swarms.size() * kIdealSwarmMargin + n % kIdealSwarmSize)
                << "n=" << n;
        }
    }
    return swarms;
}

TEST(Rebalance, SwarmCountFollowsRegistrationsOneByOne) {
    KeySource keys(1);
    const auto swarms = register_all(1, 280, keys);
    EXPECT_EQ(swarms.size(), 40u);
}

TEST(Rebalance, SwarmCountFollowsRegistrationsInBulk) {
    KeySource keys(2);
    SwarmMembers swarms;
    for (const std::size_t batch : {1, 3, 19, 4, 8, 13, 1, 22, 1, 7, 2, 1, 11, 18, 6, 10}) {
        swarms = register_all(batch, 1, keys, std::move(swarms));
    }
}

TEST(Rebalance, EmptyInputIsLeftAloneAndFirstSwarmIsZero) {
    SwarmMembers none;
    rebalance_swarms(none, 1);
    EXPECT_TRUE(none.empty());
    KeySource keys(3);
    SwarmMembers one{{kUnassignedSwarmId, {keys.next()}}};
    const auto report = rebalance_swarms(one, 1);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one.begin()->first, 0u);
    EXPECT_EQ(report.nodes_placed, 1u);
}

TEST(Rebalance, StarvingSwarmStealsFromExactlyOneRichSwarm) {
    KeySource keys(4);
    SwarmMembers swarms = register_all(70, 1, keys);
    const SwarmMembers before = swarms;
    const SwarmId victim = swarms.begin()->first;
    while (swarms[victim].size() >= kMinSwarmSize)
        swarms[victim].pop_back();
    const auto report = rebalance_swarms(swarms, 70);
    EXPECT_GE(swarms[victim].size(), kMinSwarmSize);
    EXPECT_EQ(report.nodes_stolen, 1u);
    std::size_t shrunk = 0;
    for (const auto& [id, members] : swarms) {
        if (id == victim)
            continue;
        if (members.size() < before.at(id).size()) {
            EXPECT_EQ(members.size(), before.at(id).size() - 1);
            ++shrunk;
        }
    }
    EXPECT_EQ(shrunk, 1u);
}

TEST(Rebalance, ShrinkingToTheMinimumLeavesOtherSwarmsUntouched) {
    KeySource keys(5);
    SwarmMembers swarms = register_all(70, 1, keys);
    const SwarmId first = swarms.begin()->first;
    std::uint64_t seed = 70;
    while (swarms[first].size() > kMinSwarmSize) {
        const SwarmMembers before = swarms;
        swarms[first].pop_back();
        rebalance_swarms(swarms, seed++);
        ASSERT_EQ(swarms.size(), before.size());
        for (const auto& [id, members] : swarms) {
            if (id != first) {
                EXPECT_EQ(members, before.at(id));
            }
        }
    }
}

TEST(Rebalance, UnsaveableSwarmIsDissolved) {
    KeySource keys(6);
    SwarmMembers swarms = register_all(70, 1, keys);
    const std::size_t count = swarms.size();
    for (auto& [id, members] : swarms)
        members.resize(kMinSwarmSize);
    swarms.begin()->second.pop_back();
    const auto report = rebalance_swarms(swarms, 71);
    EXPECT_EQ(swarms.size(), count - 1);
    EXPECT_EQ(report.swarms_dissolved, 1u);
}

TEST(Rebalance, RegistrationsFillStarvingSwarmsFirst) {
    KeySource keys(7);
    SwarmMembers swarms = register_all(70, 1, keys);
    const SwarmId first = swarms.begin()->first;
    const SwarmId second = std::next(swarms.begin())->first;
    std::uint64_t seed = 70;
    while (swarms[first].size() > kMinSwarmSize) {
        swarms[first].pop_back();
        swarms[second].pop_back();
        rebalance_swarms(swarms, seed++);
    }
    swarms[first].pop_back();
    swarms[second].pop_back();
    for (int i = 0; i < 3; ++i)
        swarms[kUnassignedSwarmId].push_back(keys.next());
    rebalance_swarms(swarms, seed);
    EXPECT_GE(swarms[first].size(), kMinSwarmSize);
    EXPECT_GE(swarms[second].size(), kMinSwarmSize);
}

TEST(Rebalance, TinyNetworkKeepsItsLastSwarmInsteadOfFailing) {
    KeySource keys(8);
    SwarmMembers swarms{{10, {keys.next(), keys.next()}}, {20, {keys.next(), keys.next()}}};
    rebalance_swarms(swarms, 1);
    ASSERT_EQ(swarms.size(), 1u);
    EXPECT_EQ(swarms.begin()->second.size(), 4u);
}

TEST(RebalanceProperty, RandomChurnKeepsEveryNodeInExactlyOneHealthySwarm) {
    std::mt19937_64 rng(99);
    KeySource keys(9);
    for (int network = 0; network < 5; ++network) {
        SwarmAssignment nodes;
        for (int block = 0; block < 150; ++block) {
            const std::size_t joins = rng() % 12;
            for (std::size_t j = 0; j < joins; ++j)
                nodes[keys.next()] = kUnassignedSwarmId;
            const std::size_t leaves = nodes.size() > 40 ? rng() % 10 : 0;
            for (std::size_t j = 0; j < leaves; ++j) {
                nodes.erase(std::next(nodes.begin(), static_cast<long>(rng() % nodes.size())));
            }
            // A decommission + recommission comes back unassigned.
            if (!nodes.empty() && rng() % 3 == 0) {
                std::next(nodes.begin(), static_cast<long>(rng() % nodes.size()))->second =
                    kUnassignedSwarmId;
            }
            if (nodes.empty())
                continue;
            rebalance_assignment(nodes, rng());
            ASSERT_NO_FATAL_FAILURE(expect_healthy(nodes))
                << "network " << network << " block " << block;
        }
    }
}

TEST(RebalanceProperty, SameSeedSameOutcomeOtherSeedOtherOutcome) {
    KeySource keys(10);
    SwarmAssignment nodes;
    for (int i = 0; i < 500; ++i)
        nodes[keys.next()] = kUnassignedSwarmId;
    SwarmAssignment a = nodes, b = nodes, c = nodes;
    rebalance_assignment(a, 5);
    rebalance_assignment(b, 5);
    rebalance_assignment(c, 6);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(PortableRandom, IsUniformRejectionSampling) {
    std::mt19937_64 rng(1);
    EXPECT_THROW(uniform_portable(rng, 0), InvalidInput);
    std::vector<int> counts(7);
    for (int i = 0; i < 70000; ++i)
        ++counts[uniform_portable(rng, 7)];
    for (const int c : counts)
        EXPECT_NEAR(c, 10000, 400);
    // n = 1 always draws 0 and consumes exactly one value.
    std::mt19937_64 a(3), b(3);
    EXPECT_EQ(uniform_portable(a, 1), 0u);
    b();
    EXPECT_EQ(a(), b());
}

TEST(RebalanceSeed, IsTheLittleEndianFirstEightBytes) {
    FixedBytes<32> hash{};
    hash[0] = 0x01;
    hash[7] = 0x80;
    hash[8] = 0xff;  // ignored
    EXPECT_EQ(rebalance_seed(hash), 0x8000000000000001ULL);
}

}  // namespace
}  // namespace sessionsim::swarm
