#include <gtest/gtest.h>

#include <map>
#include <random>

#include "models/common/decimal.h"
#include "models/swarm/new_swarm_id.h"
#include "tests/support/vectors.h"

namespace sessionsim::swarm {
namespace {

std::vector<SwarmId> ids_from(const nlohmann::json& list) {
    std::vector<SwarmId> ids;
    for (const auto& id : list)
        ids.push_back(parse_u64(id.get<std::string>(), "id"));
    std::sort(ids.begin(), ids.end());
    return ids;
}

TEST(NewSwarmIdVectors, SequenceFromEmptyAndWrapCases) {
    const auto doc = test::load_vectors("swarm_new_id.json");
    ASSERT_EQ(parse_u64(doc.at("MAX_ID").get<std::string>(), "MAX_ID"), kMaxSwarmId);
    std::size_t checked = 0;
    for (const auto& v : doc.at("sequence_from_empty")) {
        EXPECT_EQ(new_swarm_id(ids_from(v.at("existing"))),
                  parse_u64(v.at("expected").get<std::string>(), "id"))
            << v.at("existing").dump();
        ++checked;
    }
    EXPECT_EQ(checked, 11u);
    test::record_checked("swarm_new_id.json (sequence_from_empty)", checked);
}

TEST(NewSwarmIdVectors, TenThousandStepDeterministicAddRemoveRun) {
    const auto run = test::load_vectors("swarm_new_id.json").at("deterministic_add_remove");
    std::map<SwarmId, int> swarms;  // map order, as oxend keeps swarms
    std::vector<SwarmId> ids;
    std::mt19937_64 rng{12345};
    for (int step = 0; step < 10000; ++step) {
        std::uint64_t n = rng();
        if (n < (1ULL << 62)) {
            ASSERT_FALSE(swarms.empty());
            swarms.erase(std::next(swarms.begin(), static_cast<long>(n % swarms.size())));
        } else {
            ids.clear();
            for (const auto& [id, unused] : swarms)
                ids.push_back(id);
            const SwarmId id = new_swarm_id(ids);
            ASSERT_FALSE(swarms.count(id)) << "new id collides at step " << step;
            swarms.emplace(id, 0);
        }
    }
    ASSERT_EQ(swarms.size(), run.at("final_count").get<std::size_t>());
    ids.clear();
    for (const auto& [id, unused] : swarms)
        ids.push_back(id);
    std::size_t checked = 1;  // the final count
    for (const auto& [index, expected] : run.at("ids_at_index").items()) {
        EXPECT_EQ(ids.at(std::stoul(index)), parse_u64(expected.get<std::string>(), "id"))
            << "index " << index;
        ++checked;
    }
    EXPECT_EQ(checked, 21u);
    test::record_checked("swarm_new_id.json (10,000-step run: count + 20 ids)", checked);
}

}  // namespace
}  // namespace sessionsim::swarm
