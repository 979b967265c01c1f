// sessionsim run: same scenario and seed give byte-identical results; a small network delivers
// every message; bad scenarios fail with the file, key and reason.
#include <gtest/gtest.h>

#include <ns3/node-list.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/net/csv_table.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/schema.h"
#include "tests/cli/cli_runner.h"
#include "tests/sim/runner_support.h"
#include "tests/support/files.h"
#include "tests/support/scratch.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;
using test::slurp;

using namespace test_runner;

TEST(Runner, SameSeedGivesByteIdenticalResults) {
    const auto dir = sessionsim::test::scratch_path("runner-determinism");
    fs::remove_all(dir);
    const auto sc = Scenario::load(std::nullopt, kSmall);
    std::ostringstream quiet;
    run_scenario(sc, {(dir / "a").string(), shared_dir(), false}, quiet);
    run_scenario(sc, {(dir / "b").string(), shared_dir(), false}, quiet);
    // Every results file, byte for byte; provenance.json too, but for the wall-clock figures.
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(dir / "a")) {
        const auto name = entry.path().filename().string();
        const auto a = slurp(entry.path());
        const auto b = slurp(dir / "b" / name);
        if (name == "provenance.json") {
            auto pa = nlohmann::json::parse(a), pb = nlohmann::json::parse(b);
            for (auto* p : {&pa, &pb}) {
                p->erase("wall_clock_s");
                p->erase("host");
            }
            EXPECT_EQ(pa, pb) << name;
        } else {
            EXPECT_EQ(a, b) << name;
        }
        ++compared;
    }
    EXPECT_GE(compared, 8u) << "results files written";
    // Every table parses with rows as wide as its header (load_csv throws otherwise).
    for (const char* f : {"messages.csv", "requests.csv", "blocks.csv", "node_events.csv"})
        EXPECT_NO_THROW(net::load_csv((dir / "a" / f).string())) << f;
    auto other = kSmall;
    other.push_back("seed=2");
    run_scenario(Scenario::load(std::nullopt, other), {(dir / "c").string(), shared_dir(), false},
                 quiet);
    EXPECT_NE(slurp(dir / "a" / "requests.csv"), slurp(dir / "c" / "requests.csv"));
    const auto provenance = nlohmann::json::parse(slurp(dir / "a" / "provenance.json"));
    EXPECT_EQ(provenance.at("seed"), 1);
    EXPECT_TRUE(provenance.contains("wall_clock_s"));
    // Each answered 3-hop request crossed four links each way, each crossing at least one
    // scheduled event: a floor the event count must clear (it is far above, with polls'
    // connections and timers, but that part depends on every model detail).
    const auto requests = net::load_csv((dir / "a" / "requests.csv").string());
    std::size_t answered_3_hops = 0;
    for (const auto& r : requests.rows)
        answered_3_hops +=
            r[requests.column("hops")] == "3" && r[requests.column("status")] == "200";
    EXPECT_GT(answered_3_hops, 0u);
    EXPECT_GE(provenance.at("events").get<std::uint64_t>(), 8 * answered_3_hops);
    EXPECT_EQ(provenance.at("events"),
              nlohmann::json::parse(slurp(dir / "b" / "provenance.json")).at("events"));
    // A measurement of the host, not of the model: it can only be checked to be there and
    // plausible (ns-3 and the simulator alone take more than a few MiB).
    EXPECT_GT(provenance.at("host").at("peak_rss_mib").get<double>(), 4.0);
    EXPECT_FALSE(provenance.at("version").get<std::string>().empty());
    fs::remove_all(dir);
}

TEST(Runner, SmallUniformNetworkDeliversEverythingSentBeforeTheLastPoll) {
    const auto dir = sessionsim::test::scratch_path("runner-delivery");
    std::ostringstream quiet;
    const auto summary = run_scenario(Scenario::load(std::nullopt, kSmall),
                                      {dir.string(), shared_dir(), false}, quiet);
    EXPECT_EQ(summary.at("messages").at("failed"), 0);
    EXPECT_EQ(summary.at("onion_requests").at("timeouts"), 0);
    // With one-way 30 ms, a warm 3-hop request takes 240 ms; nothing can be faster.
    EXPECT_GE(summary.at("onion_rtt_ms").at("p50").get<double>(), 240.0);
    // Every message sent more than a poll interval (+ a request) before the end is delivered.
    std::ifstream csv(dir / "messages.csv");
    std::string line;
    std::getline(csv, line);
    int checked = 0;
    while (std::getline(csv, line)) {
        std::stringstream row(line);
        std::string id, sent;
        std::getline(row, id, ',');
        std::getline(row, sent, ',');
        if (std::stod(sent) < 90 - 8) {
            EXPECT_NE(line.find(",delivered"), std::string::npos) << line;
            ++checked;
        }
    }
    // Messages are Poisson, one per 15 s per client, from the 5 s warm-up on: 8 x 77 / 15 =
    // 41.1 expected before 82 s (z = 4 on the Poisson standard deviation).
    const double expected_checked = 8 * (90 - 8 - 5) / 15.0;
    EXPECT_NEAR(checked, expected_checked, 4 * std::sqrt(expected_checked));
    // Nothing is lost: every message is delivered or, sent in the last poll interval, still
    // waiting for its recipient's next poll.
    const auto& messages = summary.at("messages");
    EXPECT_EQ(summary.at("survival").at("lost"), 0);
    EXPECT_GE(messages.at("delivered").get<int>(), checked);
    fs::remove_all(dir);
}

TEST(RunCli, BadScenariosExit2WithFileKeyAndReason) {
    const auto path = sessionsim::test::scratch_path("bad.toml");
    std::ofstream(path) << "[network]\nservice_node = 10\n";
    const auto r = test::run({"run", path.string(), "--quiet"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "error: " + path.string() +
                  ": network.service_node: unknown key (did you mean 'network.service_nodes'?)\n");
    const auto s = test::run({"run", "--set", "network.latency_model=matrix", "--quiet"});
    EXPECT_EQ(s.exit_code, 2);
    EXPECT_NE(s.err.find("network.matrix_file: required"), std::string::npos) << s.err;
    fs::remove(path);
}

TEST(Runner, AnAdversaryRecordsOnlyWhatItsNodesSaw) {
    const auto dir = sessionsim::test::scratch_path("runner-adversary");
    fs::remove_all(dir);
    auto settings = kSmall;
    settings.push_back("adversary.fraction=0.25");
    std::ostringstream quiet;
    const auto summary = run_scenario(Scenario::load(std::nullopt, settings),
                                      {dir.string(), shared_dir(), false}, quiet);
    const auto& a = summary.at("adversary");
    EXPECT_EQ(a.at("nodes"), 6);
    // Ground truth traced through every node: each client request once (probes included).
    const auto& link = a.at("linkage");
    const auto requests = net::load_csv((dir / "requests.csv").string());
    EXPECT_NEAR(link.at("traced_requests").get<double>(), static_cast<double>(requests.rows.size()),
                0.02 * static_cast<double>(requests.rows.size()));
    const auto& timing = link.at("timing_correlator");
    EXPECT_EQ(timing.at("true_pairs"), link.at("positioned"));
    EXPECT_LE(timing.at("called_true").get<int>(), link.at("positioned").get<int>());
    // Three hops of 30 ms each way: a 1 s window holds nearly every true pair.
    EXPECT_GE(timing.at("tpr").get<double>(), 0.9);
    const auto& recipients = a.at("recipient_anonymity");
    EXPECT_EQ(recipients.at("identified").get<int>() +
                  recipients.at("known_up_to_swarm").get<int>() +
                  recipients.at("hidden").get<int>(),
              recipients.at("stores").get<int>());
    EXPECT_GE(recipients.at("stores").get<int>(), summary.at("messages").at("stored").get<int>());
    EXPECT_LT(recipients.at("degree").get<double>(), 1.0);
    const auto hosts = net::load_csv((dir / "hosts.csv").string());
    const auto observations = net::load_csv((dir / "observations.csv").string());
    // The summary counts exactly the layers the observers logged, by position.
    EXPECT_EQ(a.at("layers_observed").get<std::size_t>(), observations.rows.size());
    std::size_t as_guard = 0, executed = 0;
    for (const auto& row : observations.rows) {
        as_guard += row[observations.column("from_client")] == "1";
        executed += row[observations.column("outcome")] == "executed";
    }
    EXPECT_EQ(a.at("layers_as_guard").get<std::size_t>(), as_guard);
    EXPECT_EQ(a.at("requests_executed").get<std::size_t>(), executed);
    // A quarter of the nodes, relays and destinations drawn afresh per request: about a
    // quarter of the 3 non-guard hops of every request land on the adversary. Polls go to the
    // client's own swarm and guards are pinned, so the count is clustered; the bound is wide
    // (half to twice that) but fails if observations go missing or are double-counted.
    const double non_guard_layers = static_cast<double>(observations.rows.size() - as_guard);
    const double traced = link.at("traced_requests").get<double>();
    EXPECT_GE(non_guard_layers, 0.5 * 0.25 * 3 * traced);
    EXPECT_LE(non_guard_layers, 2 * 0.25 * 3 * traced);
    std::set<std::string> adversary;
    for (const auto& row : hosts.rows) {
        if (row[hosts.column("adversary")] == "1")
            adversary.insert(row[hosts.column("index")]);
    }
    EXPECT_EQ(adversary.size(), 6u);
    std::set<std::string> client_ips;
    for (const auto& row : hosts.rows) {
        if (row[hosts.column("role")] == "client")
            client_ips.insert(row[hosts.column("ipv4")]);
    }
    for (const auto& row : observations.rows) {
        EXPECT_TRUE(adversary.count(row[observations.column("observer")]));
        // A client's address reaches an observer only when it is that client's guard.
        const bool from_client = row[observations.column("from_client")] == "1";
        EXPECT_EQ(client_ips.count(row[observations.column("from_ip")]) == 1, from_client);
        if (!row[observations.column("account")].empty()) {
            EXPECT_EQ(row[observations.column("outcome")], "executed");
        }
    }
    fs::remove_all(dir);
    EXPECT_THROW(run_scenario(Scenario::load(std::nullopt, {"adversary.fraction=0.1",
                                                            "adversary.placement=everywhere"}),
                              {dir.string(), shared_dir(), false}, quiet),
                 ScenarioError);
}

TEST(RunCli, ListKeysShowsEveryKeyOfTheSchemaWithItsDefault) {
    const auto r = test::run({"run", "--list-keys"});
    EXPECT_EQ(r.exit_code, 0);
    for (const auto& k : schema())
        EXPECT_NE(r.out.find(k.key + "  (" + type_name(k.default_value) + ", default "),
                  std::string::npos)
            << k.key;
    EXPECT_NE(r.out.find("one of measured uniform matrix"), std::string::npos);
}

TEST(Runner, ProbesTabulateLatencyByPathLength) {
    const auto dir = sessionsim::test::scratch_path("runner-probes");
    auto settings = kSmall;
    settings.push_back("workload.probe_interval_s=5");
    settings.push_back("workload.probe_hops=0,1,3");
    std::ostringstream quiet;
    const auto summary = run_scenario(Scenario::load(std::nullopt, settings),
                                      {dir.string(), shared_dir(), false}, quiet);
    const auto& table = summary.at("probe_rtt_ms");
    ASSERT_TRUE(table.contains("direct") && table.contains("1_hops") && table.contains("3_hops"))
        << table.dump();
    // Probes are Poisson, one per 5 s per client from the 5 s warm-up, each at every path
    // length: 8 x 85 / 5 = 136 expected direct ones (z = 4 on the Poisson standard deviation;
    // the last few may still be in flight at the end).
    EXPECT_NEAR(table.at("direct").at("count").get<int>(), 136, 4 * std::sqrt(136.0));
    // One-way 30 ms: a warm direct request takes 60 ms, each hop adds 60 ms; cold ones add TCP
    // and TLS round trips. Either way, more hops cost more.
    EXPECT_GE(table.at("direct").at("p50").get<double>(), 60.0);
    EXPECT_LT(table.at("direct").at("p50").get<double>(),
              table.at("1_hops").at("p50").get<double>());
    EXPECT_LT(table.at("1_hops").at("p50").get<double>(),
              table.at("3_hops").at("p50").get<double>());
    EXPECT_EQ(
        summary.at("onion_requests").at("total").get<int>() +
            table.at("direct").at("count").get<int>() + table.at("1_hops").at("count").get<int>() +
            table.at("3_hops").at("count").get<int>(),
        static_cast<int>(std::count(
            std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(dir / "requests.csv")),
            std::istreambuf_iterator<char>(), '\n')) -
            1);
    std::filesystem::remove_all(dir);
}

TEST(Runner, BadProbeHopsAreAScenarioError) {
    auto settings = kSmall;
    settings.push_back("workload.probe_interval_s=5");
    settings.push_back("workload.probe_hops=1,x");
    std::ostringstream quiet;
    try {
        run_scenario(Scenario::load(std::nullopt, settings), {"/tmp/unused", shared_dir(), false},
                     quiet);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("workload.probe_hops: 'x' is not a path length"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Runner, ARunAfterAFailedOneInTheSameProcessIsClean) {
    // The failed run above stopped half-way, after building its network; a run that follows in
    // the same process must not inherit its nodes (it used to crash).
    auto bad = kSmall;
    bad.push_back("workload.probe_interval_s=5");
    bad.push_back("workload.probe_hops=x");
    std::ostringstream quiet;
    EXPECT_THROW(run_scenario(Scenario::load(std::nullopt, bad),
                              {"/tmp/unused", shared_dir(), false}, quiet),
                 ScenarioError);
    EXPECT_EQ(ns3::NodeList::GetNNodes(), 0u) << "the failed run left its nodes behind";
    const auto dir = sessionsim::test::scratch_path("runner-after-failure");
    const auto summary = run_scenario(Scenario::load(std::nullopt, kSmall),
                                      {dir.string(), shared_dir(), false}, quiet);
    EXPECT_EQ(summary.at("network").at("service_nodes"), 24);
    // As in a fresh process: nothing lost, and as many delivered as Poisson sends allow (8
    // clients, one per 15 s, 5-82 s at least and 5-90 s at most; z = 4).
    EXPECT_EQ(summary.at("survival").at("lost"), 0);
    EXPECT_EQ(summary.at("messages").at("failed"), 0);
    const double at_least = 8 * 77 / 15.0, at_most = 8 * 85 / 15.0;
    EXPECT_GE(summary.at("messages").at("delivered").get<int>(),
              at_least - 4 * std::sqrt(at_least));
    EXPECT_LE(summary.at("messages").at("delivered").get<int>(), at_most + 4 * std::sqrt(at_most));
    fs::remove_all(dir);
}

// A fifth of a 40-node network fails for good a minute in: with under 50 testable nodes every
// node is tested each block, so each is decommissioned at the first block after 1 h 05 of
// unreachability; its swarm is rebalanced and the survivors re-sync to the replacements.
TEST(RunnerChurn, FailedNodesAreDecommissionedAndTheirSwarmsResync) {
    const auto dir = sessionsim::test::scratch_path("runner-churn");
    std::ostringstream quiet;
    const auto summary = run_scenario(
        Scenario::load(
            std::nullopt,
            {"network.service_nodes=40", "network.clients=6", "duration_s=4500", "warmup_s=5",
             "client.poll_interval_s=60", "workload.message_interval_s=20",
             "network.latency_model=uniform", "churn.outage_group=all", "churn.outage_fraction=0.2",
             "churn.outage_at_s=60", "churn.outage_duration_s=100000"}),
        {dir.string(), shared_dir(), false}, quiet);
    const auto& churn = summary.at("churn");
    EXPECT_EQ(churn.at("node_downs"), 8);
    EXPECT_EQ(churn.at("decommissions"), 8) << churn.dump(2);
    // How many messages are re-synced depends on which swarms the rebalancing touches, so the
    // count has no closed form here; but some must be (the swarms held every message sent so
    // far), and each carries at least its 100-byte text.
    const auto resynced = churn.at("messages_resynced").get<std::uint64_t>();
    EXPECT_GT(resynced, 0u);
    EXPECT_GE(churn.at("resync_bytes").get<std::uint64_t>(), 100 * resynced);
    const auto& delay = churn.at("decommission_delay_h");
    EXPECT_GE(delay.at("mean").get<double>(), 65.0 / 60);
    EXPECT_LE(delay.at("mean").get<double>(), 68.0 / 60);
    EXPECT_EQ(delay.at("unfinished"), 0);
    // Every node but the 10 validators is tested every block here, so a failing node goes at
    // its first failing block unless drawn as a validator (p = 30/40).
    const auto& rate = churn.at("decommission_rate_per_failing_block");
    EXPECT_EQ(rate.at("decommissions"), 8);
    EXPECT_GE(rate.at("failing_node_blocks").get<int>(), 8);
    EXPECT_NEAR(rate.at("expected").get<double>(), 0.75, 0.03);
    const auto blocks = slurp(dir / "blocks.csv");
    EXPECT_EQ(std::count(blocks.begin(), blocks.end(), '\n'), 1 + 4500 / 120);
    const auto events = slurp(dir / "node_events.csv");
    EXPECT_NE(events.find(",decommissioned,storage server unreachable"), std::string::npos);
    // Messages sent before and during the outage reach their recipients: the swarms kept
    // copies on their live members and handed them to the replacements.
    const auto& survival = summary.at("survival");
    EXPECT_EQ(survival.at("lost_by_reason").value("whole swarm down", 0), 0);
    EXPECT_EQ(survival.at("lost_by_reason").value("re-sync not finished", 0), 0);
    std::filesystem::remove_all(dir);
}

// Seven nodes register five minutes in (a Sybil operator, say): the next block activates them,
// the swarms are rebalanced around them, and the nodes they join push them what they hold.
TEST(RunnerChurn, JoiningNodesBecomeActiveAndReceiveTheirSwarmsMessages) {
    const auto dir = sessionsim::test::scratch_path("runner-joins");
    std::ostringstream quiet;
    const auto summary = run_scenario(
        Scenario::load(std::nullopt,
                       {"client.profile=composite", "network.service_nodes=40", "network.clients=6",
                        "duration_s=600", "warmup_s=5", "workload.message_interval_s=10",
                        "network.latency_model=uniform", "churn.joins=7", "churn.join_at_s=300"}),
        {dir.string(), shared_dir(), false}, quiet);
    EXPECT_EQ(summary.at("churn").at("joins"), 7);
    EXPECT_EQ(summary.at("network").at("service_nodes"), 47);
    const auto blocks = net::load_csv((dir / "blocks.csv").string());
    const auto active = blocks.column("active");
    const auto pushed = blocks.column("messages_pushed");
    EXPECT_EQ(net::number_field(blocks, 0, active), 40);
    EXPECT_EQ(net::number_field(blocks, blocks.rows.size() - 1, active), 47);
    // blocks.csv's running count is the summary's; how many depends on the swarms the joiners
    // land in (no closed form), but every message is pushed with at least its 100-byte text.
    const auto& churn = summary.at("churn");
    EXPECT_EQ(net::number_field(blocks, blocks.rows.size() - 1, pushed),
              churn.at("messages_resynced").get<double>());
    EXPECT_GT(churn.at("messages_resynced").get<int>(), 0)
        << "the joiners' swarms re-synced to them";
    EXPECT_GE(churn.at("resync_bytes").get<double>(),
              100 * churn.at("messages_resynced").get<double>());
    const auto events = slurp(dir / "node_events.csv");
    for (std::size_t host = 40; host < 47; ++host)
        EXPECT_NE(events.find("," + std::to_string(host) + ",active,"), std::string::npos) << host;
    EXPECT_EQ(summary.at("survival").at("lost"), 0);
    std::filesystem::remove_all(dir);
}

TEST(RunnerChurn, SybilJoinersAreTheAdversaryFromWhenTheyRegister) {
    const auto dir = sessionsim::test::scratch_path("runner-sybils");
    std::ostringstream quiet;
    const std::vector<std::string> settings{"network.service_nodes=40",
                                            "network.clients=6",
                                            "duration_s=600",
                                            "warmup_s=5",
                                            "workload.message_interval_s=5",
                                            "network.latency_model=uniform",
                                            "churn.joins=7",
                                            "churn.join_at_s=300",
                                            "adversary.placement=joiners"};
    const auto summary = run_scenario(Scenario::load(std::nullopt, settings),
                                      {dir.string(), shared_dir(), false}, quiet);
    EXPECT_EQ(summary.at("adversary").at("nodes"), 7);
    const auto hosts = net::load_csv((dir / "hosts.csv").string());
    for (std::size_t i = 0; i < hosts.rows.size(); ++i) {
        const bool joiner = i >= 40 && i < 47;
        EXPECT_EQ(hosts.rows[i][hosts.column("adversary")], joiner ? "1" : "0") << i;
    }
    const auto observations = net::load_csv((dir / "observations.csv").string());
    // The clients chose their guards and built their paths before the Sybils registered (and
    // nothing failed to make them choose again), so the Sybils see requests only as the
    // destination, each one counted in the summary's destination share.
    const auto& a = summary.at("adversary");
    EXPECT_GT(observations.rows.size(), 0u) << "the Sybils joined swarms and stored messages";
    EXPECT_EQ(a.at("layers_observed").get<std::size_t>(), observations.rows.size());
    EXPECT_EQ(a.at("layers_as_guard"), 0);
    EXPECT_EQ(a.at("requests_executed").get<std::size_t>(), observations.rows.size());
    EXPECT_NEAR(a.at("requests_executed").get<double>(),
                a.at("onion_requests").at("destination_malicious").get<double>() *
                    a.at("onion_requests").at("total").get<double>(),
                0.5);
    for (std::size_t r = 0; r < observations.rows.size(); ++r) {
        EXPECT_GE(net::number_field(observations, r, observations.column("observer")), 40);
        EXPECT_GE(net::number_field(observations, r, observations.column("time_s")), 300);
    }
    std::filesystem::remove_all(dir);
    try {
        run_scenario(Scenario::load(std::nullopt, {"adversary.placement=joiners"}),
                     {dir.string(), shared_dir(), false}, quiet);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("adversary.placement: \"joiners\" needs churn.joins"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Runner, AGlobalLinkObserverSeesBothEndsOfEveryRequest) {
    const auto dir = sessionsim::test::scratch_path("runner-links");
    auto settings = kSmall;
    settings.push_back("adversary.links=global");
    std::ostringstream quiet;
    const auto summary = run_scenario(Scenario::load(std::nullopt, settings),
                                      {dir.string(), shared_dir(), false}, quiet);
    const auto& l = summary.at("adversary").at("link_observer");
    EXPECT_EQ(l.at("both_ends_seen"), 1.0);
    EXPECT_EQ(l.at("clients_on_watched_links"), 8);
    EXPECT_GT(l.at("timing_correlator").at("tpr").get<double>(), 0.9);
    EXPECT_EQ(summary.at("adversary").at("nodes"), 0);  // it runs no node
    std::filesystem::remove_all(dir);
    settings.back() = "adversary.links=planet:earth";
    EXPECT_THROW(run_scenario(Scenario::load(std::nullopt, settings),
                              {dir.string(), shared_dir(), false}, quiet),
                 ScenarioError);
}

TEST(RunnerChurn, UnknownOutageProviderNamesThePresentOnes) {
    std::ostringstream quiet;
    try {
        run_scenario(Scenario::load(std::nullopt, {"churn.outage_group=provider:Nowhere"}),
                     {"/tmp/unused", shared_dir(), false}, quiet);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("churn.outage_group: no service node in provider "
                                             "'Nowhere' (present: "),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("Hetzner"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace sessionsim::scenario
