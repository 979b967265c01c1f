// The adversary feature (sim/scenario/adversary.cc, adversary_report.cc) on a hand-built network
// of eight service nodes and three clients whose every attribute is chosen here: which nodes each
// placement takes, which request ends a link observer sees, the timing correlator's window edges,
// and the summary's figures for three hand-made onion requests. Every expected value is worked
// out in the comment beside it, from the definitions, not read back from the code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <ns3/simulator.h>

#include "models/crypto/hash.h"
#include "sim/observe/linkage.h"
#include "sim/scenario/adversary.h"
#include "sim/scenario/session_run.h"
#include "tests/sim/hand_network.h"
#include "tests/support/scratch.h"

namespace sessionsim::scenario {
namespace {

/// A SessionRun over the eight nodes and three clients with no network: the adversary reads
/// hosts, the node apps' keys and stores, the swarms and the messages, and is handed the hop
/// records directly. One swarm holds all eight nodes.
struct HandMadeRun {
    Scenario sc;
    RunOptions options{"", "", false};
    crypto::SeededRandom random{1, "scenario"};
    std::unique_ptr<SessionRun> run;
    std::vector<crypto::Ed25519PublicKey> keys;
    static constexpr std::uint64_t kSwarm = 0x4000000000000000;

    explicit HandMadeRun(const std::vector<std::string>& keys_and_values)
        : sc(scenario(keys_and_values)) {
        NetworkPlan plan;
        plan.nodes = eight_nodes();
        plan.clients = three_clients();
        run =
            std::make_unique<SessionRun>(sc, options, RunClock::now(), 1, random, std::move(plan));
        std::vector<node::NodeKeys> node_keys;
        std::vector<storage::NodeContact> members;
        for (std::size_t i = 0; i < run->n_nodes; ++i) {
            node_keys.push_back(node::NodeKeys::from_seed(crypto::Ed25519Seed::from(
                crypto::blake2b_256({as_bytes("adversary test node " + std::to_string(i))}))));
            members.push_back({node_keys[i].ed25519.public_key, node_keys[i].x25519.public_key,
                               run->hosts[i].ipv4});
            keys.push_back(members[i].ed25519);
        }
        // The swarms first: a node app learns its swarm as it is configured.
        run->directory->swarms =
            std::make_shared<const storage::SwarmView>(std::map{std::pair{kSwarm, members}});
        for (std::size_t i = 0; i < run->n_nodes; ++i) {
            ServiceHost h;
            h.app = ns3::CreateObject<apps::ServiceNodeApp>();
            h.app->Configure(node_keys[i], run->directory, 7);
            h.contact = members[i];
            run->service_hosts.push_back(h);
            run->node_apps.push_back(h.app);
        }
    }
    ~HandMadeRun() { ns3::Simulator::Destroy(); }

    /// Hands `adversary` the layers of one onion request from `client` over guard, relays,
    /// destination (`path`), its first layer at `t` and each next 0.1 s later. The client's link
    /// carries it as id 1; link k of the path as `first_link_id` + k. Layer k is 1000 - 100 k
    /// bytes.
    void send(Adversary& adversary, std::uint32_t client, const std::vector<std::size_t>& path,
              double t, std::uint64_t first_link_id, const std::string& account) const {
        for (std::size_t k = 0; k < path.size(); ++k) {
            apps::HopRecord hop;
            hop.time = ns3::Seconds(t + 0.1 * static_cast<double>(k));
            hop.node = keys[path[k]];
            hop.from_ipv4 = k == 0 ? client : run->hosts[path[k - 1]].ipv4;
            hop.request_id = k == 0 ? 1 : first_link_id + k - 1;
            hop.view.from_client = k == 0;
            hop.view.layer_bytes = 1000 - 100 * k;
            if (k + 1 < path.size()) {
                hop.view.outcome = node::HopView::Outcome::forwarded;
                hop.view.next = keys[path[k + 1]];
                hop.view.forwarded_as = first_link_id + k;
            } else {
                hop.view.outcome = node::HopView::Outcome::executed;
                hop.view.method = "store";
                hop.view.account = account;
            }
            adversary.record(path[k], hop);
        }
    }

    /// The three requests every test below works out by hand:
    ///   R1 Alice 20.0.0.1: guard 0 -> 1 -> 2 -> destination 3, entering at 1.0, exiting at 1.3,
    ///      a store for Dave;
    ///   R2 Bob 20.0.1.1:   guard 4 -> 1 -> 5 -> destination 3, 1.05 -> 1.35, a store for Erin;
    ///   R3 Carol 20.0.2.1: guard 3 -> 2 -> 4 -> destination 5, 5.0 -> 5.3, a store for Dave.
    std::unique_ptr<Adversary> adversary_with_three_requests() {
        auto adversary = std::make_unique<Adversary>(sc, eight_nodes(), 0, 1);
        adversary->install(*run);
        send(*adversary, kAlice, {0, 1, 2, 3}, 1.0, 100, kDave);
        send(*adversary, kBob, {4, 1, 5, 3}, 1.05, 200, kErin);
        send(*adversary, kCarol, {3, 2, 4, 5}, 5.0, 300, kDave);
        return adversary;
    }
};

/// The link observer's block for the three requests with adversary.links = `links`.
nlohmann::ordered_json link_observer(const std::string& links) {
    HandMadeRun hand({"adversary.links=\"" + links + "\"", "adversary.correlation_window_s=0.5"});
    auto adversary = hand.adversary_with_three_requests();
    RunReport report;
    adversary->summarize(*hand.run, report);
    return report.summary["adversary"]["link_observer"];
}

/// What a link observer's block says it watched and saw, worked out by hand per test.
struct ObserverView {
    int service_nodes = 0, clients = 0;
    double entries_seen = 0, exits_seen = 0, both_ends_seen = 0;
};

void expect_view(const nlohmann::ordered_json& o, const ObserverView& want) {
    EXPECT_EQ(o["service_nodes_on_watched_links"], want.service_nodes);
    EXPECT_EQ(o["clients_on_watched_links"], want.clients);
    EXPECT_EQ(o["entries_seen"], want.entries_seen);
    EXPECT_EQ(o["exits_seen"], want.exits_seen);
    EXPECT_EQ(o["both_ends_seen"], want.both_ends_seen);
}

/// The timing correlator's figures as the summary rounds them, worked out by hand per test.
struct CorrelatorFigures {
    int true_pairs = 0, called = 0, called_true = 0;
    double tpr = 0, fpr = 0, precision = 0;
    int best_guesses = 0;
    double best_guess_accuracy = 0;
};

void expect_correlator(const nlohmann::ordered_json& c, const CorrelatorFigures& want) {
    EXPECT_EQ(c["true_pairs"], want.true_pairs);
    EXPECT_EQ(c["called"], want.called);
    EXPECT_EQ(c["called_true"], want.called_true);
    EXPECT_EQ(c["tpr"], want.tpr);
    EXPECT_EQ(c["fpr"], want.fpr);
    EXPECT_EQ(c["precision"], want.precision);
    EXPECT_EQ(c["best_guesses"], want.best_guesses);
    EXPECT_EQ(c["best_guess_accuracy"], want.best_guess_accuracy);
}

TEST(LinkObserver, ACountryObserverSeesTheLinksWithAnEndInThatCountry) {
    // country:US: node 3 and Bob. An entry link client -> guard is seen if either end is
    // watched, an exit link last relay -> destination likewise.
    //   R1: entry Alice -> 0 no; exit 2 -> 3 yes.  R2: entry Bob -> 4 yes; exit 5 -> 3 yes.
    //   R3: entry Carol -> 3 yes; exit 4 -> 5 no.
    const auto o = link_observer("country:US");
    // Entries R2, R3 of 3; exits R1, R2; both ends R2.
    expect_view(o, {.service_nodes = 1,
                    .clients = 1,
                    .entries_seen = 0.666667,
                    .exits_seen = 0.666667,
                    .both_ends_seen = 0.333333});
    // w = 0.5; entries R2 at 1.05, R3 at 5.0; exits R1 at 1.3, R2 at 1.35.
    // R1's exit: [0.8, 1.3] holds R2's entry (a false call); R2's exit: [0.85, 1.35] holds R2's
    // (true). Called 2, true 1 of 1 true pair; candidates 2 x 2 = 4, negatives 3: FPR 1/3.
    // Best guesses: Bob for both exits, right for R2 only.
    EXPECT_EQ(o["timing_correlator"]["window_s"], 0.5);
    expect_correlator(o["timing_correlator"], {.true_pairs = 1,
                                               .called = 2,
                                               .called_true = 1,
                                               .tpr = 1.0,
                                               .fpr = 0.333333333,  // rounded to 1e-9
                                               .precision = 0.5,
                                               .best_guesses = 2,
                                               .best_guess_accuracy = 0.5});
}

TEST(LinkObserver, AGlobalObserverSeesEveryEndAndConfusesOnlyTheOverlappingRequests) {
    const auto o = link_observer("global");
    expect_view(o, {.service_nodes = 8,
                    .clients = 3,
                    .entries_seen = 1.0,
                    .exits_seen = 1.0,
                    .both_ends_seen = 1.0});
    // Entries 1.0 (R1), 1.05 (R2), 5.0 (R3). R1's exit at 1.3 takes R1, R2; R2's at 1.35 takes
    // R1, R2; R3's at 5.3 takes R3. Called 5, true 3 of 3; candidates 3 x 3 = 9, negatives 6,
    // false calls 2: FPR 1/3, precision 3/5. Best guesses (latest entry): R2's for R1 (wrong),
    // R2's for R2, R3's for R3: 2 of 3.
    expect_correlator(o["timing_correlator"], {.true_pairs = 3,
                                               .called = 5,
                                               .called_true = 3,
                                               .tpr = 1.0,
                                               .fpr = 0.333333333,
                                               .precision = 0.6,
                                               .best_guesses = 3,
                                               .best_guess_accuracy = 0.666667});
}

TEST(LinkObserver, AProviderObserverSeesItsNodesLinksAndAnIspObserverItsClients) {
    // provider:Hetzner watches nodes 0, 1, 2 and no client. R1: entry Alice -> 0 yes, exit
    // 2 -> 3 yes (the last relay's end). R2: Bob -> 4 no, 5 -> 3 no. R3: Carol -> 3 no, 4 -> 5 no.
    const auto hetzner = link_observer("provider:Hetzner");
    expect_view(hetzner, {.service_nodes = 3,
                          .clients = 0,
                          .entries_seen = 0.333333,
                          .exits_seen = 0.333333,
                          .both_ends_seen = 0.333333});
    // One entry (1.0), one exit (1.3): the single candidate pair is called and true, no
    // negatives: FPR 0, precision 1.
    EXPECT_EQ(hetzner["timing_correlator"]["called"], 1);
    EXPECT_EQ(hetzner["timing_correlator"]["called_true"], 1);
    EXPECT_EQ(hetzner["timing_correlator"]["fpr"], 0.0);
    EXPECT_EQ(hetzner["timing_correlator"]["precision"], 1.0);
    // provider:isp-DE is Alice's ISP: it sees her entry (R1) and no exit.
    const auto isp = link_observer("provider:isp-DE");
    EXPECT_EQ(isp["service_nodes_on_watched_links"], 0);
    EXPECT_EQ(isp["clients_on_watched_links"], 1);
    EXPECT_EQ(isp["entries_seen"], 0.333333);
    EXPECT_EQ(isp["exits_seen"], 0.0);
    EXPECT_EQ(isp["timing_correlator"]["called"], 0);
    EXPECT_EQ(isp["timing_correlator"]["best_guesses"], 0);
    // Without adversary.links there is no link observer.
    HandMadeRun none({"adversary.fraction=0.25", "adversary.placement=\"provider:OVH\""});
    auto adversary = none.adversary_with_three_requests();
    RunReport report;
    adversary->summarize(*none.run, report);
    EXPECT_TRUE(report.summary["adversary"]["link_observer"].is_null());
}

/// The adversary of the summary tests: OVH's two nodes, 3 (US) and 4 (FR).
HandMadeRun ovh_run() {
    return HandMadeRun({"adversary.fraction=0.25", "adversary.placement=\"provider:OVH\"",
                        "adversary.correlation_window_s=0.5"});
}

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

TEST(AdversaryObservations, OnlyItsOwnNodesLayersAreWrittenAsTheyHadThem) {
    auto hand = ovh_run();
    auto adversary = hand.adversary_with_three_requests();
    const auto dir = sessionsim::test::scratch_path("adversary-test");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    adversary->write(*hand.run, dir);
    // Of the twelve layers, nodes 3 and 4 handled five, in the order they were handed over:
    //  R1 at 3 (its destination, layer 3: from node 2's 10.0.1.1 as link id 100 + 2);
    //  R2 at 4 (guard, from Bob, client link id 1, forwarded to node 1 as 200) and at 3 (from
    //  node 5, 10.0.4.1, as 202); R3 at 3 (guard, from Carol, on to node 2 as 300) and at 4
    //  (layer 2, from node 2 as 301, on to node 5 as 302).
    const std::string d = kDave, e = kErin;
    EXPECT_EQ(lines_of(dir / "observations.csv"),
              (std::vector<std::string>{
                  "time_s,observer,from_ip,request_id,from_client,outcome,next_node,forwarded_as,"
                  "method,account,namespace,server,layer_bytes",
                  "1.300000,3,10.0.1.1,102,0,executed,,,store," + d + ",,,700",
                  "1.050000,4,20.0.1.1,1,1,forwarded,1,200,,,,,1000",
                  "1.350000,3,10.0.4.1,202,0,executed,,,store," + e + ",,,700",
                  "5.000000,3,20.0.2.1,1,1,forwarded,2,300,,,,,1000",
                  "5.200000,4,10.0.1.1,301,0,forwarded,5,302,,,,,800"}));
    // users.csv: Alice's store had an honest guard (0); Bob's had guard 4 and destination 3, both
    // OVH's: compromised at his first store, 0 s after it; Carol's guard 3 but destination 5.
    EXPECT_EQ(lines_of(dir / "users.csv"),
              (std::vector<std::string>{
                  "client_ip,stores,compromised,compromise_rate,first_compromised_at,ttfc_s",
                  "20.0.0.1,1,0,0,,", "20.0.1.1,1,1,1,1,0.000000", "20.0.2.1,1,0,0,,"}));
    std::filesystem::remove_all(dir);
}

TEST(AdversaryReport, PositionsLinkageAndRecipientsForThreeRequests) {
    auto hand = ovh_run();
    auto adversary = hand.adversary_with_three_requests();
    RunReport report;
    adversary->summarize(*hand.run, report);
    const auto& a = report.summary["adversary"];
    EXPECT_EQ(a["placement"], "provider:OVH");
    EXPECT_EQ(a["nodes"], 2);
    EXPECT_EQ(a["fraction"], 0.25);  // 2 of 8
    // Layers at 3 or 4: R1 at 3; R2 at 4 and 3; R3 at 3 and 4.
    EXPECT_EQ(a["layers_observed"], 5);
    EXPECT_EQ(a["layers_as_guard"], 2);        // R2 at 4, R3 at 3
    EXPECT_EQ(a["requests_executed"], 2);      // R1 and R2 at 3
    EXPECT_EQ(a["client_addresses_seen"], 2);  // Bob and Carol
    EXPECT_EQ(a["accounts_seen"], 2);          // Dave (R1) and Erin (R2)
    const auto& on = a["onion_requests"];
    EXPECT_EQ(on["total"], 3);
    EXPECT_EQ(on["guard_malicious"], 0.666667);        // R2, R3
    EXPECT_EQ(on["destination_malicious"], 0.666667);  // R1, R2
    EXPECT_EQ(on["guard_and_destination"], 0.333333);  // R2
    // m(m-1)/(N(N-1)) = 2 x 1 / (8 x 7) = 1/28 = 0.0357142857...
    EXPECT_EQ(on["expected_guard_and_destination"], 0.035714);
    // Recipients: R1, R2 executed at 3 (identified); R3's last relay 4 names node 5 (up to the
    // swarm). 3 accounts in 1 swarm: log2(3 / 1) bits for R3, 0 for the others; mean
    // log2(3)/3 = 0.5283208..., degree (log2(3)/3) / log2(3) = 1/3.
    const auto& r = a["recipient_anonymity"];
    EXPECT_EQ(r["stores"], 3);
    EXPECT_EQ(r["identified"], 2);
    EXPECT_EQ(r["known_up_to_swarm"], 1);
    EXPECT_EQ(r["hidden"], 0);
    EXPECT_EQ(r["mean_entropy_bits"], 0.528321);
    EXPECT_EQ(r["max_entropy_bits"], 1.584963);  // log2 3 = 1.5849625...
    EXPECT_EQ(r["degree"], 0.333333);
    // The node correlator (w = 0.5) sees entries at its guards (R2 1.05, R3 5.0) and exits at
    // its destinations (R1 1.3, R2 1.35): as the country:US link observer above, called 2, true
    // 1 of 1 (R2), FPR (2 - 1) / (2 x 2 - 1) = 1/3, precision 1/2, best guess Bob twice.
    const auto& l = a["linkage"];
    EXPECT_EQ(l["traced_requests"], 3);
    EXPECT_EQ(l["positioned"], 1);
    EXPECT_EQ(l["timing_correlator"]["called"], 2);
    EXPECT_EQ(l["timing_correlator"]["called_true"], 1);
    EXPECT_EQ(l["timing_correlator"]["tpr"], 1.0);
    EXPECT_EQ(l["timing_correlator"]["fpr"], 0.333333);  // rounded to 1e-6 here
    EXPECT_EQ(l["timing_correlator"]["precision"], 0.5);
    EXPECT_EQ(l["timing_correlator"]["best_guess_accuracy"], 0.5);
    // Sender anonymity per store: R1 and R2 each had one candidate (Bob) in the window: set 1,
    // H 0; R3's exit was unseen: uniform over 3 clients, H = log2 3. Only R2's guess (Bob) is
    // right and its recipient known: linked 1 of 3, its edge (Bob, Erin) one of 3 edges.
    const auto& rel = a["relationships"];
    EXPECT_EQ(rel["stores"], 3);
    EXPECT_EQ(rel["linked"], 1);
    EXPECT_EQ(rel["relationship_linkage_rate"], 0.333333);
    EXPECT_EQ(rel["mean_sender_set_size"], 1.666667);        // (1 + 1 + 3) / 3
    EXPECT_EQ(rel["mean_sender_entropy_bits"], 0.528321);    // (0 + 0 + log2 3) / 3
    EXPECT_EQ(rel["mean_sender_effective_size"], 1.666667);  // 2^H: (1 + 1 + 3) / 3
    EXPECT_EQ(rel["mean_sender_min_entropy_bits"], 0.528321);
    EXPECT_EQ(rel["sender_degree"], 0.333333);  // (0 + 0 + 1) / 3
    EXPECT_EQ(rel["social_graph"]["edges"], 3);
    EXPECT_EQ(rel["social_graph"]["recovered"], 1);
    // The run-table cells carry the same numbers.
    EXPECT_EQ(report.cell("guard_and_destination"), Cell(0.333333));
    EXPECT_EQ(report.cell("expected_guard_and_destination"), Cell(0.035714));
    EXPECT_EQ(report.cell("correlator_precision"), Cell(0.5));
    EXPECT_EQ(report.cell("relationship_linkage_rate"), Cell(0.333333));
}

TEST(AdversaryReport, UsersAndStorageForThreeRequests) {
    auto hand = ovh_run();
    auto adversary = hand.adversary_with_three_requests();
    // Node 3 (OVH) holds one message, "h1", for Dave. The run stored two messages, both in the
    // one swarm: h1 with 3 members up at the store, h2 with 7; a third never stored.
    hand.run->service_hosts[3].app->Node().store().store(
        {identity::AccountId::parse(kDave), 0, "h1", 1000, 2'000'000'000, {}});
    MessageRecord h1, h2, lost;
    h1.hash = "h1";
    h1.recipient_swarm = HandMadeRun::kSwarm;
    h1.swarm_up_at_store = 3;
    h2.hash = "h2";
    h2.recipient_swarm = HandMadeRun::kSwarm;
    h2.swarm_up_at_store = 7;
    hand.run->messages = {h1, h2, lost};
    RunReport report;
    adversary->summarize(*hand.run, report);
    const auto& s = report.summary["adversary"]["storage"];
    EXPECT_EQ(s["messages_held"], 1);
    EXPECT_EQ(s["accounts_held"], 1);
    EXPECT_EQ(s["stored_messages"], 2);
    EXPECT_EQ(s["stored_messages_held"], 1);
    EXPECT_EQ(s["held_fraction"], 0.5);
    EXPECT_EQ(s["swarm_has_adversary_fraction"], 1.0);  // the swarm holds nodes 3 and 4
    // P(a malicious replica) drawing s of 8 with 2 malicious: 1 - (6/8)(5/7)(4/6) = 1 - 5/14
    // for s = 3; for s = 7 only one honest node is left out, so 1. Mean (9/14 + 1) / 2 = 23/28
    // = 0.82142857...
    EXPECT_EQ(s["expected_held_fraction"], 0.821429);

    // Users: Alice's and Carol's stores were not compromised, Bob's first was (at 0 s).
    const auto& u = report.summary["adversary"]["users"];
    EXPECT_EQ(u["users"], 3);
    EXPECT_EQ(u["mean_stores"], 1.0);
    EXPECT_EQ(u["compromised"], 1);
    EXPECT_EQ(u["compromised_fraction"], 0.333333);
    EXPECT_EQ(u["mean_compromise_rate"], 0.333333);  // (0 + 1 + 0) / 3
    // Times to first compromise sorted: 0, inf, inf; the median (the 2nd) is censored.
    EXPECT_TRUE(u["ttfc_median_s"].is_null());
    EXPECT_EQ(u["never_compromised"], 2);
    // By message count: only c = 1 has users (all three). The closed form for 2 guards at
    // c = 1: sum over k of Binomial(k; 2, 1/4) x (k/2)(1/7) = (6/16)(1/14) + (1/16)(1/7)
    // = 3/112 + 1/112 = 1/28 = 0.0357142857..., as for fresh paths: one message's guard and
    // destination both malicious.
    ASSERT_EQ(u["by_messages"].size(), 1u);
    EXPECT_EQ(u["by_messages"][0]["messages"], 1);
    EXPECT_EQ(u["by_messages"][0]["users"], 3);
    EXPECT_EQ(u["by_messages"][0]["compromised_fraction"], 0.333333);
    EXPECT_EQ(u["by_messages"][0]["expected"], 0.035714);
}

}  // namespace
}  // namespace sessionsim::scenario
