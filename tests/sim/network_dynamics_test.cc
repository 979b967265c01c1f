// The network over time: the failure plan a scenario's churn.* keys make
// (sim/scenario/failure_plan.cc) and NetworkDynamics (sim/scenario/network_dynamics.cc) playing
// it on a small simulated network with the registry's blocks. Expected values are worked out in
// the comments from the rules (registry/rules.h) and the closed forms of the lifetime laws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <ns3/simulator.h>

#include "models/crypto/hash.h"
#include "sim/net/latency_model.h"
#include "sim/net/wan_helper.h"
#include "sim/scenario/failure_plan.h"
#include "sim/scenario/network_dynamics.h"
#include "tests/sim/hand_network.h"
#include "tests/support/scratch.h"

namespace sessionsim::scenario {
namespace {

Scenario scenario(const std::vector<std::string>& keys) {
    return Scenario::load(std::nullopt, keys);
}

std::vector<churn::Outage> plan(const std::vector<std::string>& keys, std::uint64_t seed = 1,
                                const std::vector<net::PlacedHost>& hosts = eight_nodes()) {
    crypto::SeededRandom random(seed, "failures");
    return failure_plan(scenario(keys), hosts, random);
}

/// (node, down_s, up_s, cause) of each outage, for comparing whole plans.
using Row = std::tuple<std::size_t, double, double, std::string>;
std::vector<Row> rows(const std::vector<churn::Outage>& outages) {
    std::vector<Row> out;
    for (const auto& o : outages)
        out.emplace_back(o.node, o.down_s, o.up_s, o.cause);
    return out;
}

/// A trace file of `lines` under the temp folder.
std::string trace_file(const std::string& name, const std::string& lines) {
    const auto path = sessionsim::test::scratch_path(name);
    std::ofstream(path) << "node,down_s,up_s\n" << lines;
    return path.string();
}

// --- The plan ------------------------------------------------------------------------------------

TEST(FailurePlan, AProviderOutageTakesDownExactlyThatProvidersNodesForItsWindow) {
    // The whole of Hetzner (nodes 0, 1, 2) from 100 s for 50 s; ordered by start, then node.
    const auto outages =
        plan({"duration_s=1000", "churn.outage_group=\"provider:Hetzner\"",
              "churn.outage_fraction=1", "churn.outage_at_s=100", "churn.outage_duration_s=50"});
    EXPECT_EQ(rows(outages),
              (std::vector<Row>{
                  {0, 100, 150, "outage"}, {1, 100, 150, "outage"}, {2, 100, 150, "outage"}}));
    // A country: Singapore holds nodes 6 and 7.
    EXPECT_EQ(rows(plan({"churn.outage_group=\"country:SG\"", "churn.outage_fraction=1",
                         "churn.outage_at_s=10", "churn.outage_duration_s=5"})),
              (std::vector<Row>{{6, 10, 15, "outage"}, {7, 10, 15, "outage"}}));
    // "all": every node.
    EXPECT_EQ(plan({"churn.outage_group=all", "churn.outage_fraction=1"}).size(), 8u);
}

TEST(FailurePlan, AFractionOfTheGroupRoundsHalfAwayFromZeroAndStaysInTheGroup) {
    // 0.5 of Hetzner's 3 nodes = 1.5 -> llround 2 (floor would give 1); never a node outside
    // 0-2, never one twice; the two differ between seeds.
    std::set<std::vector<std::size_t>> drawn;
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        const auto outages =
            plan({"churn.outage_group=\"provider:Hetzner\"", "churn.outage_fraction=0.5"}, seed);
        std::vector<std::size_t> nodes;
        for (const auto& o : outages)
            nodes.push_back(o.node);
        std::sort(nodes.begin(), nodes.end());
        ASSERT_EQ(nodes.size(), 2u) << "seed " << seed;
        EXPECT_LT(nodes[0], nodes[1]);
        EXPECT_LE(nodes[1], 2u);
        drawn.insert(nodes);
    }
    // All C(3,2) = 3 pairs come up in 30 seeds (a pair is missed by all with p (2/3)^30 ~ 5e-6).
    EXPECT_EQ(drawn.size(), 3u);
}

TEST(FailurePlan, AnUnknownGroupIsAnErrorListingTheGroupsPresent) {
    try {
        plan({"churn.outage_group=\"provider:Akamai\""});
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("churn.outage_group"), std::string::npos) << what;
        // The providers present, without the small local hosts.
        EXPECT_NE(what.find("(present: Hetzner, OVH, Vultr)"), std::string::npos) << what;
    }
    EXPECT_THROW(plan({"churn.outage_group=\"region:EU\""}), ScenarioError);
    EXPECT_THROW(plan({"churn.outage_group=\"country:\""}), ScenarioError);
}

TEST(FailurePlan, OverlappingAndTouchingWindowsOfANodeMergeIntoOne) {
    // Trace: node 0 down 50-120 (overlaps the outage 100-150), node 1 down 150-200 (touches its
    // end), node 3 down 10-20 (alone). Outage: Hetzner 0-2 from 100 to 150.
    const auto trace =
        trace_file("sessionsim-dynamics-overlap.csv", "0,50,120\n1,150,200\n3,10,20\n");
    const auto outages = plan({"churn.model=trace", "churn.trace_file=\"" + trace + "\"",
                               "churn.outage_group=\"provider:Hetzner\"", "churn.outage_fraction=1",
                               "churn.outage_at_s=100", "churn.outage_duration_s=50"});
    // Each node is down once, over the union of its windows, with both causes; by start time.
    EXPECT_EQ(rows(outages), (std::vector<Row>{{3, 10, 20, "trace"},
                                               {0, 50, 150, "trace+outage"},
                                               {1, 100, 200, "outage+trace"},
                                               {2, 100, 150, "outage"}}));
    std::filesystem::remove(trace);
}

TEST(FailurePlan, PermanentExitsNeverComeBackAndFallInsideTheRun) {
    // churn.exit_fraction 0.25 of 8 = 2 nodes leave at uniform times in [0, 1000).
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto outages = plan({"duration_s=1000", "churn.exit_fraction=0.25"}, seed);
        ASSERT_EQ(outages.size(), 2u);
        EXPECT_NE(outages[0].node, outages[1].node);
        for (const auto& o : outages) {
            EXPECT_EQ(o.cause, "exit");
            EXPECT_EQ(o.up_s, churn::kNever);
            EXPECT_GE(o.down_s, 0);
            EXPECT_LT(o.down_s, 1000);
        }
        EXPECT_LE(outages[0].down_s, outages[1].down_s);  // by start time
    }
}

/// Up and down times of Weibull ON/OFF churn over 40 nodes and 2.5e6 s (29 days): a plan's
/// structure, and its durations against the laws' closed forms.
class WeibullChurnPlan : public ::testing::Test {
protected:
    static constexpr double kHorizon = 2.5e6;
    static constexpr double kUpShape = 0.6, kUpScale = 600, kDownShape = 0.5, kDownScale = 300;

    static std::vector<churn::Outage> draw() {
        const std::vector<net::PlacedHost> forty(40, {{"DE", -1}, ip(10, 0, 0, 1), "Hetzner"});
        return plan({"duration_s=2500000", "churn.model=weibull", "churn.up_shape=0.6",
                     "churn.up_scale_s=600", "churn.down_shape=0.5", "churn.down_scale_s=300"},
                    3, forty);
    }

    /// E[T] = scale Gamma(1 + 1/k), Var T = scale^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2).
    static double mean(double k, double scale) { return scale * std::tgamma(1 + 1 / k); }
    static double sd(double k, double scale) {
        const double g1 = std::tgamma(1 + 1 / k), g2 = std::tgamma(1 + 2 / k);
        return scale * std::sqrt(g2 - g1 * g1);
    }
    static double median(double k, double scale) { return scale * std::pow(std::log(2.0), 1 / k); }

    /// The sample mean is within 4.5 standard errors of the law's mean (the CLT: a false alarm
    /// once in ~150,000 runs), and the share below the law's median within 4.5 binomial standard
    /// errors of 1/2 (robust to the heavy tail).
    static void expect_weibull(const std::vector<double>& x, double k, double scale) {
        const double n = static_cast<double>(x.size());
        double sum = 0, below = 0;
        for (const double v : x) {
            sum += v;
            below += v < median(k, scale) ? 1 : 0;
        }
        EXPECT_NEAR(sum / n, mean(k, scale), 4.5 * sd(k, scale) / std::sqrt(n)) << n << " draws";
        EXPECT_NEAR(below / n, 0.5, 4.5 * 0.5 / std::sqrt(n)) << n << " draws";
    }
};

TEST_F(WeibullChurnPlan, EveryNodeIsDownAtMostOnceAtATimeAndComesBackUnlessTheRunEnds) {
    const auto outages = draw();
    ASSERT_GT(outages.size(), 40'000u);  // ~1,660 cycles of ~1,500 s per node
    std::map<std::size_t, std::vector<const churn::Outage*>> by_node;
    for (std::size_t i = 0; i < outages.size(); ++i) {
        const auto& o = outages[i];
        EXPECT_EQ(o.cause, "churn");
        EXPECT_GE(o.down_s, 0);              // a node down at 0 (stationary start) starts at 0
        EXPECT_LT(o.down_s, kHorizon);       // no outage starts after the run
        EXPECT_GT(o.up_s, o.down_s);         // every down has its up ...
        EXPECT_TRUE(std::isfinite(o.up_s));  // ... which may fall after the run's end
        if (i > 0) {  // the order the simulator schedules them in: start time, then node
            const auto& p = outages[i - 1];
            EXPECT_TRUE(p.down_s < o.down_s || (p.down_s == o.down_s && p.node < o.node));
        }
        by_node[o.node].push_back(&o);
    }
    EXPECT_EQ(by_node.size(), 40u);
    std::size_t after_the_end = 0;
    for (const auto& [node, list] : by_node) {
        for (std::size_t j = 1; j < list.size(); ++j)  // up before the next down: never twice down
            EXPECT_LT(list[j - 1]->up_s, list[j]->down_s) << "node " << node;
        after_the_end += list.back()->up_s >= kHorizon;
    }
    // Only a node's last outage can end after the run; some do (P(down at the end) ~ 0.4).
    EXPECT_GT(after_the_end, 0u);
}

TEST_F(WeibullChurnPlan, DownAndUpTimesFollowTheirWeibullLaws) {
    const auto outages = draw();
    std::map<std::size_t, std::vector<const churn::Outage*>> by_node;
    for (const auto& o : outages)
        by_node[o.node].push_back(&o);
    // Down times: an outage that starts inside the run (down_s > 0, not clipped at 0) is in the
    // plan whatever its length (its start was fixed before its length was drawn), so its
    // lengths are an unbiased sample of the down law, the last one's included.
    // Up times: the gap after an outage ending before half the run. It is in the plan unless it
    // outlasts the rest of the run, > 1.25e6 s, where the up law has mass exp(-(1.25e6/600)^0.6)
    // ~ e^-98: no selection by length either.
    std::vector<double> down, up;
    for (const auto& [node, list] : by_node) {
        for (std::size_t j = 0; j < list.size(); ++j) {
            if (list[j]->down_s > 0)
                down.push_back(list[j]->up_s - list[j]->down_s);
            if (list[j]->up_s < kHorizon / 2) {
                ASSERT_LT(j + 1, list.size());
                up.push_back(list[j + 1]->down_s - list[j]->up_s);
            }
        }
    }
    // E[down] = 300 Gamma(3) = 600 s, sd 300 sqrt(Gamma(5) - 4) = 1,342 s; E[up] =
    // 600 Gamma(8/3) = 902.7 s.
    EXPECT_NEAR(mean(kDownShape, kDownScale), 600, 1e-9);
    ASSERT_GT(down.size(), 50'000u);
    ASSERT_GT(up.size(), 25'000u);
    expect_weibull(down, kDownShape, kDownScale);
    expect_weibull(up, kUpShape, kUpScale);
}

// --- Playing the plan on the simulated network --------------------------------------------------

/// Eight service nodes on a uniform 10 ms WAN with a registry whose obligations quorum tests
/// every node in every block (no validators drawn: quorum_size 0, min_votes 0), so that the
/// block that decommissions a failing node is the first one at which it fails, not a
/// geometric draw. Blocks every 120 s, as on mainnet.
struct DynamicsNetwork {
    std::vector<net::PlacedHost> hosts = eight_nodes();
    net::Wan wan;
    std::shared_ptr<apps::NodeDirectory> directory = std::make_shared<apps::NodeDirectory>();
    std::unique_ptr<registry::Registry> chain;
    std::unique_ptr<NetworkDynamics> dynamics;

    /// Nodes `joiners` register during the run; the others exist at 0 (age 0: the initial
    /// decommission credit of 60 blocks, plus 1/30 block per block active).
    explicit DynamicsNetwork(const std::set<std::size_t>& joiners = {}) {
        wan = net::build_wan(hosts, net::UniformLatency(10),
                             {.up_rate = "0bps", .down_rate = "0bps"});
        registry::RegistryRules rules;
        rules.quorum_size = 0;
        rules.min_votes = 0;
        chain = std::make_unique<registry::Registry>(rules, 5);
        std::vector<ServiceHost> service_hosts;
        std::vector<node::NodeKeys> keys;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            keys.push_back(node::NodeKeys::from_seed(crypto::Ed25519Seed::from(
                crypto::blake2b_256({as_bytes("dynamics test node " + std::to_string(i))}))));
            const auto& pk = keys[i].ed25519.public_key;
            directory->addresses[pk] = wan.addresses[i];
            ServiceHost h;
            h.app = ns3::CreateObject<apps::ServiceNodeApp>();
            h.device = wan.devices[i];
            h.contact = {pk, keys[i].x25519.public_key, hosts[i].ipv4};
            if (!joiners.contains(i))
                h.registry_index = chain->add_existing(pk, 0);
            service_hosts.push_back(h);
        }
        chain->start(5);
        dynamics = std::make_unique<NetworkDynamics>(DynamicsOptions{.rules = rules}, directory,
                                                     service_hosts, *chain);
        dynamics->publish_swarms();
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            service_hosts[i].app->Configure(keys[i], directory, 5);
            wan.nodes.Get(static_cast<std::uint32_t>(i))->AddApplication(service_hosts[i].app);
        }
    }
    ~DynamicsNetwork() { ns3::Simulator::Destroy(); }

    void run_until(double t_s) {
        ns3::Simulator::Stop(ns3::Seconds(t_s));
        ns3::Simulator::Run();
    }

    /// Which hosts are running at `t_s`, recorded into `out` when the simulation gets there.
    void snapshot_at(double t_s, std::vector<bool>& out) {
        ns3::Simulator::Schedule(ns3::Seconds(t_s), [this, &out] {
            out.clear();
            for (const auto& h : dynamics->hosts())
                out.push_back(NetworkDynamics::running(h));
        });
    }

    /// (time, node, event, detail) of the node events, for comparing whole logs.
    std::vector<std::tuple<double, std::size_t, std::string, std::string>> events() const {
        std::vector<std::tuple<double, std::size_t, std::string, std::string>> out;
        for (const auto& e : dynamics->node_events())
            out.emplace_back(e.time_s, e.node, e.event, e.detail);
        return out;
    }
};

using Events = std::vector<std::tuple<double, std::size_t, std::string, std::string>>;

TEST(NetworkDynamics, AProviderOutageTakesItsNodesDownAtTheStartAndBackAtTheEnd) {
    DynamicsNetwork net;
    // Hetzner (0, 1, 2) down from 100 s to 700 s: shorter than the 1 h 05 after which a node
    // fails its reachability checks, so the registry never acts.
    net.dynamics->start(
        plan({"duration_s=1000", "churn.outage_group=\"provider:Hetzner\"",
              "churn.outage_fraction=1", "churn.outage_at_s=100", "churn.outage_duration_s=600"}),
        {});
    std::vector<bool> before, during, after;
    net.snapshot_at(99, before);
    net.snapshot_at(400, during);
    net.snapshot_at(701, after);
    net.run_until(1000);
    EXPECT_EQ(before, std::vector<bool>(8, true));
    EXPECT_EQ(during, (std::vector<bool>{false, false, false, true, true, true, true, true}));
    EXPECT_EQ(after, std::vector<bool>(8, true));
    EXPECT_EQ(net.events(), (Events{{100, 0, "down", "outage"},
                                    {100, 1, "down", "outage"},
                                    {100, 2, "down", "outage"},
                                    {700, 0, "up", "outage"},
                                    {700, 1, "up", "outage"},
                                    {700, 2, "up", "outage"}}));
    // Blocks at 120, 240, ..., 960 s: eight. The first five (to 600 s) fall in the outage.
    const auto& blocks = net.dynamics->blocks();
    ASSERT_EQ(blocks.size(), 8u);
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        EXPECT_DOUBLE_EQ(blocks[b].time_s, 120.0 * static_cast<double>(b + 1));
        EXPECT_EQ(blocks[b].height, static_cast<std::int64_t>(b + 1));
        EXPECT_EQ(blocks[b].hosts_down, b < 5 ? 3u : 0u) << "block " << b;
        EXPECT_EQ(blocks[b].active, 8u);
        EXPECT_EQ(blocks[b].tested, 8u);  // every node, every block
        EXPECT_EQ(blocks[b].changes, 0u);
    }
    RunReport report;
    net.dynamics->report(report);
    const auto& churn = report.summary["churn"];
    EXPECT_EQ(churn["node_downs"], 3);
    EXPECT_EQ(churn["node_recoveries"], 3);
    EXPECT_EQ(churn["decommissions"], 0);
    EXPECT_EQ(churn["decommission_delay_h"]["count"], 0);
    EXPECT_EQ(churn["decommission_delay_h"]["unfinished"], 3);  // ended before any decommission
    EXPECT_EQ(churn["decommission_rate_per_failing_block"]["failing_node_blocks"], 0);
}

TEST(NetworkDynamics, AnOutageCoveringTheEndOfTheRunLeavesItsNodesDown) {
    DynamicsNetwork net;
    // Singapore (6, 7) from 900 s for 500 s: the run ends at 1000 s, before they come back.
    const auto outages =
        plan({"duration_s=1000", "churn.outage_group=\"country:SG\"", "churn.outage_fraction=1",
              "churn.outage_at_s=900", "churn.outage_duration_s=500"});
    ASSERT_EQ(rows(outages),
              (std::vector<Row>{{6, 900, 1400, "outage"}, {7, 900, 1400, "outage"}}));
    net.dynamics->start(outages, {});
    std::vector<bool> at_end;
    net.snapshot_at(999.999, at_end);
    net.run_until(1000);
    EXPECT_EQ(at_end, (std::vector<bool>{true, true, true, true, true, true, false, false}));
    EXPECT_EQ(net.events(), (Events{{900, 6, "down", "outage"}, {900, 7, "down", "outage"}}));
    EXPECT_EQ(net.dynamics->blocks().back().time_s, 960);
    EXPECT_EQ(net.dynamics->blocks().back().hosts_down, 2u);
    RunReport report;
    net.dynamics->report(report);
    EXPECT_EQ(report.summary["churn"]["node_downs"], 2);
    EXPECT_EQ(report.summary["churn"]["node_recoveries"], 0);
}

TEST(NetworkDynamics, OverlappingWindowsPlayAsOneDownAndOneUp) {
    DynamicsNetwork net;
    // The merged plan of FailurePlan.OverlappingAndTouchingWindowsOfANodeMergeIntoOne.
    const auto trace =
        trace_file("sessionsim-dynamics-overlap-played.csv", "0,50,120\n1,150,200\n");
    net.dynamics->start(plan({"churn.model=trace", "churn.trace_file=\"" + trace + "\"",
                              "churn.outage_group=\"provider:Hetzner\"", "churn.outage_fraction=1",
                              "churn.outage_at_s=100", "churn.outage_duration_s=50"}),
                        {});
    std::vector<bool> at_130, at_170;
    net.snapshot_at(130, at_130);  // inside the trace window of 0 and the outage
    net.snapshot_at(170, at_170);  // node 1's trace window, just after the outage
    net.run_until(300);
    std::filesystem::remove(trace);
    EXPECT_EQ(at_130, (std::vector<bool>{false, false, false, true, true, true, true, true}));
    EXPECT_EQ(at_170, (std::vector<bool>{true, false, true, true, true, true, true, true}));
    EXPECT_EQ(net.events(), (Events{{50, 0, "down", "trace+outage"},
                                    {100, 1, "down", "outage+trace"},
                                    {100, 2, "down", "outage"},
                                    {150, 0, "up", "trace+outage"},
                                    {150, 2, "up", "outage"},
                                    {200, 1, "up", "outage+trace"}}));
}

TEST(NetworkDynamics, AFailingNodeIsDecommissionedAtTheFirstBlockAfterItsChecksLapse) {
    DynamicsNetwork net;
    // Node 5 goes down at 100 s and is back at 5,000 s; node 6 goes down at 100 s for good.
    net.dynamics->start({{5, 100, 5000, "trace"}, {6, 100, churn::kNever, "exit"}}, {});
    net.run_until(11'600);
    // Reachability: failing once down for more than 1 h 05 = 3,900 s, so after 4,000 s. Blocks
    // fall on multiples of 120 s: the first after 4,000 is 4,080 (block 34), where the quorum
    // (testing every node) decommissions both: 3,980 s after they went silent.
    // Node 5 is up again at 5,000 s and passes the next block's checks: recommissioned at
    // 5,040 (block 42).
    // Node 6's credit at block 34: 60 + 34/30 = 61.13 blocks; it runs out once more than 61.13
    // blocks have passed since, at block 34 + 62 = 96 (11,520 s): deregistered.
    EXPECT_EQ(net.events(), (Events{{100, 5, "down", "trace"},
                                    {100, 6, "down", "exit"},
                                    {4080, 5, "decommissioned", "storage server unreachable"},
                                    {4080, 6, "decommissioned", "storage server unreachable"},
                                    {5000, 5, "up", "trace"},
                                    {5040, 5, "recommissioned", "recommissioned"},
                                    {11520, 6, "deregistered", "decommission credit exhausted"}}));
    const auto& blocks = net.dynamics->blocks();
    ASSERT_EQ(blocks.size(), 96u);     // 11,600 / 120 = 96.7
    EXPECT_EQ(blocks[32].active, 8u);  // block 33 at 3,960 s
    EXPECT_EQ(blocks[33].active, 6u);  // block 34: two decommissioned
    EXPECT_EQ(blocks[33].decommissioned, 2u);
    EXPECT_EQ(blocks[41].active, 7u);  // block 42: node 5 back
    EXPECT_EQ(blocks[95].deregistered, 1u);
    EXPECT_EQ(blocks[95].decommissioned, 0u);

    RunReport report;
    net.dynamics->report(report);
    const auto& churn = report.summary["churn"];
    EXPECT_EQ(churn["node_downs"], 2);
    EXPECT_EQ(churn["node_recoveries"], 1);
    EXPECT_EQ(churn["decommissions"], 2);
    EXPECT_EQ(churn["recommissions"], 1);
    EXPECT_EQ(churn["deregistrations"], 1);
    const auto& delay = churn["decommission_delay_h"];
    EXPECT_EQ(delay["count"], 2);
    EXPECT_EQ(delay["mean"], 1.106);  // 3,980 s = 1.10556 h
    // §3.2 for 8 nodes: tested = max(50, 8/100) = 50, p = min(1, 50 / (8 - 0)) = 1; failing
    // after 3,900,000 ms, half a block (60,000 ms) to the next, no geometric wait: 1.1 h.
    EXPECT_EQ(delay["expected_mean"], 1.1);
    EXPECT_EQ(delay["unfinished"], 0);
    // Failing active node-blocks: both nodes at block 34 only, both decommissioned; each was
    // tested with chance (1 - 0/8) x 8/8 = 1, so the interval 3.29 sqrt(1 x 0 / 2) is 0.
    const auto& rate = churn["decommission_rate_per_failing_block"];
    EXPECT_EQ(rate["failing_node_blocks"], 2);
    EXPECT_EQ(rate["decommissions"], 2);
    EXPECT_EQ(rate["measured"], 1.0);
    EXPECT_EQ(rate["expected"], 1.0);
    EXPECT_EQ(rate["interval"], 0.0);
}

TEST(NetworkDynamics, AJoiningNodeIsOffTheNetworkUntilItRegistersAndActiveFromTheNextBlock) {
    DynamicsNetwork net({7});
    net.dynamics->start({}, {{7, 300}});
    std::vector<bool> at_299, at_301;
    net.snapshot_at(299, at_299);
    net.snapshot_at(301, at_301);
    net.run_until(500);
    EXPECT_FALSE(at_299[7]);
    EXPECT_TRUE(at_301[7]);
    // Registered at 300 s, active from the next block (360 s, block 3).
    EXPECT_EQ(net.events(), (Events{{300, 7, "joined", "registration submitted"},
                                    {360, 7, "active", "registered"}}));
    const auto& blocks = net.dynamics->blocks();
    ASSERT_EQ(blocks.size(), 4u);  // 120, 240, 360, 480
    EXPECT_EQ(blocks[1].active, 7u);
    EXPECT_EQ(blocks[2].active, 8u);
    EXPECT_EQ(blocks[2].changes, 1u);
}

}  // namespace
}  // namespace sessionsim::scenario
