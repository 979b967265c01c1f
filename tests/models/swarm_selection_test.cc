#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "models/common/decimal.h"
#include "models/common/errors.h"
#include "models/identity/account_id.h"
#include "models/swarm/swarm_selection.h"
#include "models/swarm/swarm_space.h"
#include "tests/support/vectors.h"

namespace sessionsim::swarm {
namespace {

TEST(SwarmSelectionVectors, EveryCaseChoosesTheExpectedSwarm) {
    const auto doc = test::load_vectors("swarm_selection.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        std::vector<SwarmId> ids;
        for (const auto& id : v.at("swarm_ids"))
            ids.push_back(parse_u64(id.get<std::string>(), "id"));
        std::sort(ids.begin(), ids.end());
        const auto account = identity::AccountId::parse(v.at("pubkey").get<std::string>());
        EXPECT_EQ(closest_swarm(ids, swarm_space(account.key)),
                  parse_u64(v.at("expected_swarm_id").get<std::string>(), "id"))
            << v.at("pubkey");
        ++checked;
    }
    EXPECT_EQ(checked, 32u);
    test::record_checked("swarm_selection.json", checked);
}

TEST(SwarmSelection, SingleSwarmAlwaysWinsAndEmptyIsAnError) {
    const std::vector<SwarmId> one{12345};
    EXPECT_EQ(closest_swarm(one, 0), 12345u);
    EXPECT_EQ(closest_swarm(one, UINT64_MAX), 12345u);
    EXPECT_THROW(closest_swarm({}, 5), InvalidInput);
}

TEST(SwarmSelection, TiesGoLeftIncludingAcrossTheWrap) {
    const std::vector<SwarmId> ids{100, 200};
    EXPECT_EQ(closest_swarm(ids, 150), 100u);  // equidistant: the lower id
    EXPECT_EQ(closest_swarm(ids, 151), 200u);
    // Across the wrap: 200 -> 100 is 2^64 - 100 apart; its midpoint ties and goes to 200 (left).
    const std::uint64_t wrap_mid = 200 + (UINT64_MAX - 200 + 101) / 2;
    EXPECT_EQ(closest_swarm(ids, wrap_mid), 200u);
    EXPECT_EQ(closest_swarm(ids, wrap_mid + 1), 100u);
}

/// Independent reference: nearest id going up and going down the ring by linear scan.
SwarmId brute_force(const std::vector<SwarmId>& ids, std::uint64_t v) {
    SwarmId right = ids[0], left = ids[0];
    for (const auto id : ids) {
        if (id - v < right - v)
            right = id;  // forward distance, mod 2^64
        if (v - id < v - left)
            left = id;  // backward distance, mod 2^64
    }
    return right - v < v - left ? right : left;
}

TEST(SwarmSelectionProperty, AgreesWithBruteForceRingSearch) {
    std::mt19937_64 rng(42);
    for (int trial = 0; trial < 3000; ++trial) {
        const std::size_t n = 1 + rng() % 400;
        std::vector<SwarmId> ids;
        // Mix of clustered small ids, huge ids near the wrap, and uniform ones.
        for (std::size_t i = 0; i < n; ++i) {
            const auto kind = rng() % 3;
            ids.push_back(kind == 0   ? rng() % 1000
                          : kind == 1 ? UINT64_MAX - 1 - rng() % 1000
                                      : rng() % (UINT64_MAX - 1));
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (int q = 0; q < 20; ++q) {
            const auto kind = rng() % 4;
            std::uint64_t v = kind == 0 ? ids[rng() % ids.size()] : rng();
            if (kind == 1 && ids.size() > 1) {  // exact midpoints: the tie rule matters
                const std::size_t i = rng() % (ids.size() - 1);
                v = ids[i] + (ids[i + 1] - ids[i]) / 2;
            }
            ASSERT_EQ(closest_swarm(ids, v), brute_force(ids, v))
                << "v=" << v << " n=" << ids.size();
        }
    }
}

}  // namespace
}  // namespace sessionsim::swarm
