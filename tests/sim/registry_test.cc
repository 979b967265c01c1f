// The registry's rules (V13) and the decommission timeline at N = 2,000 (V14) against the
// closed forms of metrics-and-validation.md §3.2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <span>

#include "models/crypto/random.h"
#include "sim/registry/registry.h"
#include "tests/support/validation.h"

namespace sessionsim::registry {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

swarm::NodeKey key_of(std::size_t i) {
    swarm::NodeKey k{};
    crypto::SeededRandom r(i, "registry test node");
    r.fill(k);
    return k;
}

/// `n` nodes registered long ago (so they can vote) plus their swarms.
Registry old_network(std::size_t n, RegistryRules rules = {}, std::int64_t age = 100 * kDay) {
    Registry reg(rules, 1);
    for (std::size_t i = 0; i < n; ++i)
        reg.add_existing(key_of(i), age);
    reg.start(1);
    return reg;
}

/// Blocks until `node` reaches `status` (or max_blocks); returns the block's time.
std::optional<std::int64_t> run_until(Registry& reg, std::size_t node, NodeStatus status,
                                      int max_blocks = 2000) {
    for (int b = 0; b < max_blocks; ++b) {
        const std::int64_t now = (reg.height() + 1) * reg.rules().block_ms;
        reg.produce_block(now);
        if (reg.status(node) == status)
            return now;
    }
    return std::nullopt;
}

TEST(Registry, CreditStartsAtTwoHoursAndReachesTheCapAfter57AndAHalfDays) {  // V13
    // A node registers into a small network and stays up; the registry's blocks are produced
    // one by one until its credit stops growing. The closed form, from the published rules
    // alone (§3.2: 2 h initial credit, 24 h earned per 30 days, 48 h cap), is
    // (48 h - 2 h) / (24 h / 30 days) = 57.5 days.
    auto reg = old_network(20);
    const auto fresh = reg.register_node(key_of(100), 0);
    reg.produce_block(reg.rules().block_ms);
    ASSERT_EQ(reg.status(fresh), NodeStatus::active);
    const std::int64_t active_from = reg.height();
    EXPECT_DOUBLE_EQ(reg.credit_blocks(fresh, active_from), 60);  // 2 h of 2-min blocks
    const double cap_blocks = 48.0 * 30;
    constexpr std::int64_t kBlocksPerDay = 720;
    std::optional<std::int64_t> capped_at;
    double previous = reg.credit_blocks(fresh, active_from);
    while (!capped_at && reg.height() < active_from + 70 * kBlocksPerDay) {
        reg.produce_block((reg.height() + 1) * reg.rules().block_ms);
        ASSERT_EQ(reg.status(fresh), NodeStatus::active) << "height " << reg.height();
        const double credit = reg.credit_blocks(fresh, reg.height());
        ASSERT_GE(credit, previous) << "credit never falls while the node is up";
        previous = credit;
        if (credit >= cap_blocks - 1e-6)
            capped_at = reg.height();
    }
    ASSERT_TRUE(capped_at) << "credit still " << previous << " blocks after 70 days";
    const double initial_h = 2, earned_h_per_day = 24.0 / 30, cap_h = 48;
    // Measured in whole blocks: half a block (1/1440 day) is the resolution.
    test::expect_exact("V13 days from registration to the 48 h credit cap, block by block",
                       static_cast<double>(*capped_at - active_from) / kBlocksPerDay,
                       (cap_h - initial_h) / earned_h_per_day, 0.5 / kBlocksPerDay);
    reg.produce_block((reg.height() + 1) * reg.rules().block_ms);
    EXPECT_DOUBLE_EQ(reg.credit_blocks(fresh, reg.height() + kBlocksPerDay), cap_blocks)
        << "capped";
}

TEST(Registry, ProofsGoOutHourlyAndExpireAfterTwoHoursFive) {
    RegistryRules proofs_only;
    proofs_only.reachability_checks = false;
    Registry reg(proofs_only, 1);
    const auto n = reg.add_existing(key_of(0), 10 * kHour + 20 * 60'000);  // proofs at :40
    EXPECT_EQ(reg.last_proof_ms(n, 0), -20 * 60'000);
    reg.set_online(n, false, 50 * 60'000);
    EXPECT_EQ(reg.last_proof_ms(n, 5 * kHour), 40 * 60'000);
    EXPECT_FALSE(reg.failed_check(n, 40 * 60'000 + 7'500'000));
    EXPECT_EQ(*reg.failed_check(n, 40 * 60'000 + 7'500'001), "no recent uptime proof");
    reg.set_online(n, true, 6 * kHour);  // a proof goes out on start
    EXPECT_EQ(reg.last_proof_ms(n, 6 * kHour), 6 * kHour);
    EXPECT_FALSE(reg.failed_check(n, 6 * kHour));
}

TEST(Registry, ReachabilityFailsAfterAnHourFiveOfOnlyFailures) {
    Registry reg({}, 1);
    const auto n = reg.add_existing(key_of(0), kDay);
    reg.set_online(n, false, 0);
    EXPECT_FALSE(reg.failed_check(n, 3'900'000));
    EXPECT_EQ(*reg.failed_check(n, 3'900'001), "storage server unreachable");
}

TEST(Registry, DecommissionThenRecommissionWithReducedCredit) {  // V13
    auto reg = old_network(30);  // under 50 testable nodes: every one is tested every block
    reg.set_online(5, false, 0);
    const auto decommissioned_at = run_until(reg, 5, NodeStatus::decommissioned);
    ASSERT_TRUE(decommissioned_at);
    EXPECT_FALSE(reg.assignment().count(reg.key(5)));               // out of its swarm
    const auto credit_before = reg.credit_blocks(5, reg.height());  // frozen at decommission
    const auto decommission_height = reg.height();
    while ((reg.height() + 1) * reg.rules().block_ms < *decommissioned_at + 3 * kHour)
        reg.produce_block((reg.height() + 1) * reg.rules().block_ms);
    reg.set_online(5, true, *decommissioned_at + 3 * kHour);
    ASSERT_TRUE(run_until(reg, 5, NodeStatus::active));
    const auto down_blocks = static_cast<double>(reg.height() - decommission_height);
    EXPECT_NEAR(reg.credit_blocks(5, reg.height()), std::max(0.0, credit_before - 2 * down_blocks),
                1e-9);
    EXPECT_TRUE(reg.assignment().count(reg.key(5)));
    EXPECT_NE(reg.assignment().at(reg.key(5)), swarm::kUnassignedSwarmId);
}

TEST(Registry, LowCreditMeansDeregistrationAndExhaustedCreditToo) {
    // Nodes 25-29 registered just now (credit exactly the initial 60 blocks, just enough to be
    // decommissioned rather than deregistered); young nodes cannot vote (up < 2 h 05), so the
    // 25 old ones are the voters.
    Registry voters({}, 1);
    for (std::size_t i = 0; i < 30; ++i)
        voters.add_existing(key_of(i), i < 25 ? 100 * kDay : 0);
    voters.start(1);
    voters.set_online(27, false, 0);  // credit exactly 60 blocks at first: decommissioned
    ASSERT_TRUE(run_until(voters, 27, NodeStatus::decommissioned));
    // It stays down: deregistered once credit - blocks decommissioned < 0 (60 blocks + tests).
    const auto dereg = run_until(voters, 27, NodeStatus::deregistered);
    ASSERT_TRUE(dereg);
    EXPECT_GE(*dereg, 60 * 120'000 + 65 * 60'000);
}

TEST(Registry, NoStateChangeWithoutSevenVotes) {
    auto reg = old_network(30);
    for (std::size_t i = 0; i < 30; ++i)
        reg.set_online(i, false, 0);  // everyone down: no validator can vote
    for (int b = 1; b <= 200; ++b) {
        const auto outcome = reg.produce_block(b * 120'000);
        EXPECT_LT(outcome.votes, 7);
        EXPECT_TRUE(outcome.changes.empty());
    }
}

TEST(Registry, UnlockLeavesAfterFifteenDays) {
    auto reg = old_network(20);
    reg.request_unlock(3, 0);
    reg.produce_block(15 * kDay - 1);
    EXPECT_EQ(reg.status(3), NodeStatus::active);
    const auto outcome = reg.produce_block(15 * kDay);
    EXPECT_EQ(reg.status(3), NodeStatus::unlocked);
    EXPECT_TRUE(outcome.swarms_changed);
}

/// Time from going silent to decommission at N = 2,000, failures spread over 8 hours.
std::vector<double> decommission_delays_minutes(const RegistryRules& rules, std::uint64_t run) {
    crypto::SeededRandom random(11 + run, "V14 ages");
    Registry reg(rules, 2 + run);
    for (std::size_t i = 0; i < 2000; ++i)
        reg.add_existing(key_of(i), 30 * kDay + static_cast<std::int64_t>(random.uniform(kDay)));
    reg.start(1);
    std::vector<std::pair<std::int64_t, std::size_t>> failures;  // time, node
    for (std::size_t i = 0; i < 400; ++i)
        failures.emplace_back(static_cast<std::int64_t>(random.uniform(8 * kHour)), i * 5);
    std::sort(failures.begin(), failures.end());
    std::map<std::size_t, std::int64_t> failed_at;
    std::vector<double> delays;
    std::size_t next = 0;
    for (std::int64_t now = 120'000; now <= 20 * kHour; now += 120'000) {
        for (; next < failures.size() && failures[next].first < now; ++next) {
            reg.set_online(failures[next].second, false, failures[next].first);
            failed_at[failures[next].second] = failures[next].first;
        }
        for (const auto& c : reg.produce_block(now).changes) {
            if (c.to == NodeStatus::decommissioned)
                delays.push_back(static_cast<double>(now - failed_at.at(c.node)) / 60'000);
        }
    }
    return delays;
}

/// Twelve independent networks of 400 failures each.
std::vector<double> decommission_delays_minutes(bool reachability) {
    std::vector<double> delays;
    for (std::uint64_t run = 0; run < 12; ++run) {
        RegistryRules rules;
        rules.reachability_checks = reachability;
        const auto more = decommission_delays_minutes(rules, run);
        delays.insert(delays.end(), more.begin(), more.end());
    }
    return delays;
}

void check_timeline(const std::vector<double>& delays, double expected_mean_min, double min_min,
                    const std::string& label) {
    ASSERT_GT(delays.size(), 4400u);
    const double n = static_cast<double>(delays.size());
    const double mean = std::accumulate(delays.begin(), delays.end(), 0.0) / n;
    double ss = 0;
    for (const double d : delays)
        ss += (d - mean) * (d - mean);
    // The failures are independent draws; the standard error is the sample's.
    test::expect_estimate("V14 " + label + ": mean minutes from silence to decommission", mean,
                          expected_mean_min, test::mean_standard_error(std::sqrt(ss / (n - 1)), n),
                          n);
    EXPECT_GE(*std::min_element(delays.begin(), delays.end()), min_min);
}

// Proofs only (the closed form of §3.2): failing after 2 h 05 - a, a ~ U[0, 1 h) (mean 95 min),
// then the next block (+1 min on average) and a geometric wait for a test with p = 50/1990
// per block ((1/p - 1) blocks of 2 min = 77.6 min): 173.6 min ~ 2.9 h, minimum 65 min.
TEST(RegistryValidation, DecommissionLatencyAt2000NodesProofsOnly) {  // V14
    const double p = 50.0 / 1990;
    check_timeline(decommission_delays_minutes(false), 95 + 1 + (1 / p - 1) * 2, 65, "proofs only");
}

// With storage-server reachability (the default), failing starts exactly 65 min after the
// node goes silent: 65 + 1 + 77.6 = 143.6 min ~ 2.4 h.
TEST(RegistryValidation, DecommissionLatencyAt2000NodesWithReachability) {
    const double p = 50.0 / 1990;
    check_timeline(decommission_delays_minutes(true), 65 + 1 + (1 / p - 1) * 2, 65,
                   "with reachability tests");
}

// A correlated outage (100 of 2,000 nodes silent at once for 2 h): the mean delay is censored by
// the outage's end, but the per-block chance that a failing node is decommissioned is not, and
// is (1 - 10/active) x 50/(testable) ~ 0.025 whatever else fails at the same time. 64 outages:
// enough failing node-blocks (about 130,000) to catch a test rate 10% off.
TEST(RegistryValidation, FailingNodesAreDecommissionedAtThePerBlockTestRateInAnOutage) {
    double failing_blocks = 0, decommissions = 0, expected = 0;
    for (std::uint64_t run = 0; run < 64; ++run) {
        crypto::SeededRandom random(40 + run, "outage ages");
        Registry reg(RegistryRules{}, 7 + run);
        for (std::size_t i = 0; i < 2000; ++i)
            reg.add_existing(key_of(i),
                             30 * kDay + static_cast<std::int64_t>(random.uniform(kDay)));
        reg.start(1);
        std::vector<std::size_t> nodes(2000);
        std::iota(nodes.begin(), nodes.end(), 0);
        random.sample_to_front(std::span(nodes), 100);
        const std::int64_t down_at = 30 * 60'000, up_at = down_at + 2 * kHour;
        for (std::int64_t now = 120'000; now <= 4 * kHour; now += 120'000) {
            for (std::size_t k = 0; k < 100; ++k) {
                if (now > down_at && now - 120'000 <= down_at)
                    reg.set_online(nodes[k], false, down_at);
                if (now > up_at && now - 120'000 <= up_at)
                    reg.set_online(nodes[k], true, up_at);
            }
            std::set<std::size_t> failing;
            for (std::size_t k = 0; k < 100; ++k) {
                if (reg.status(nodes[k]) == NodeStatus::active && reg.failed_check(nodes[k], now))
                    failing.insert(nodes[k]);
            }
            const double active = static_cast<double>(reg.count(NodeStatus::active));
            const double testable =
                active + static_cast<double>(reg.count(NodeStatus::decommissioned)) - 10;
            expected += static_cast<double>(failing.size()) * (1 - 10 / active) * 50 / testable;
            failing_blocks += static_cast<double>(failing.size());
            for (const auto& c : reg.produce_block(now).changes)
                decommissions += c.to == NodeStatus::decommissioned && failing.count(c.node);
        }
    }
    const double p = expected / failing_blocks;
    test::expect_estimate("V14 decommissions per failing node and block, correlated outage",
                          decommissions / failing_blocks, p,
                          test::proportion_standard_error(p, failing_blocks), failing_blocks);
}

}  // namespace
}  // namespace sessionsim::registry
