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
#include "tests/support/scratch.h"

namespace sessionsim::scenario {
namespace {

constexpr std::uint32_t ip(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return a << 24 | b << 16 | c << 8 | d;
}

/// Eight service nodes: two pairs share a /24 (0-1 and 6-7), three providers hold several nodes.
///   0 DE Hetzner 10.0.0.1   1 DE Hetzner 10.0.0.2   2 FI Hetzner 10.0.1.1   3 US OVH 10.0.2.1
///   4 FR OVH     10.0.3.1   5 NL local-NL 10.0.4.1  6 SG Vultr   10.0.5.1   7 SG Vultr 10.0.5.2
std::vector<net::PlacedHost> eight_nodes() {
    return {{{"DE", -1}, ip(10, 0, 0, 1), "Hetzner"}, {{"DE", -1}, ip(10, 0, 0, 2), "Hetzner"},
            {{"FI", -1}, ip(10, 0, 1, 1), "Hetzner"}, {{"US", -1}, ip(10, 0, 2, 1), "OVH"},
            {{"FR", -1}, ip(10, 0, 3, 1), "OVH"},     {{"NL", -1}, ip(10, 0, 4, 1), "local-NL"},
            {{"SG", -1}, ip(10, 0, 5, 1), "Vultr"},   {{"SG", -1}, ip(10, 0, 5, 2), "Vultr"}};
}

const std::uint32_t kAlice = ip(20, 0, 0, 1), kBob = ip(20, 0, 1, 1), kCarol = ip(20, 0, 2, 1);

/// Alice in Germany, Bob in the US, Carol in France, each at their own ISP.
std::vector<net::PlacedHost> three_clients() {
    return {{{"DE", -1}, kAlice, "isp-DE"},
            {{"US", -1}, kBob, "isp-US"},
            {{"FR", -1}, kCarol, "isp-FR"}};
}

const std::string kDave = "05" + std::string(64, 'd'), kErin = "05" + std::string(64, 'e');

Scenario scenario(std::vector<std::string> keys) {
    keys.insert(keys.begin(), {"network.service_nodes=8", "network.clients=3"});
    return Scenario::load(std::nullopt, keys);
}

std::vector<bool> placed(const std::string& placement, double fraction, std::uint64_t seed,
                         const std::vector<net::PlacedHost>& nodes = eight_nodes()) {
    const auto sc = scenario({"adversary.placement=\"" + placement + "\"",
                              "adversary.fraction=" + std::to_string(fraction)});
    return Adversary(sc, nodes, 0, seed).nodes();
}

std::vector<std::size_t> indices(const std::vector<bool>& bad) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        if (bad[i])
            out.push_back(i);
    }
    return out;
}

using Nodes = std::vector<std::size_t>;

// --- Placement ---------------------------------------------------------------------------------

TEST(AdversaryPlacement, AProviderPlacementTakesOnlyThatProvidersNodes) {
    // OVH runs nodes 3 and 4; 0.25 x 8 = 2 nodes, so both, whatever the seed.
    for (std::uint64_t seed = 1; seed <= 5; ++seed)
        EXPECT_EQ(indices(placed("provider:OVH", 0.25, seed)), (Nodes{3, 4})) << "seed " << seed;
    // Hetzner runs 0, 1 and 2: 0.375 x 8 = 3 takes all three.
    EXPECT_EQ(indices(placed("provider:Hetzner", 0.375, 1)), (Nodes{0, 1, 2}));
    // Two of Hetzner's three: never a node of another provider.
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto bad = indices(placed("provider:Hetzner", 0.25, seed));
        ASSERT_EQ(bad.size(), 2u);
        EXPECT_LE(bad.back(), 2u) << "seed " << seed;
    }
}

TEST(AdversaryPlacement, AProviderTooSmallForTheCountIsAnErrorNamingTheKey) {
    // 0.375 x 8 = 3 nodes, but OVH runs only 2.
    try {
        placed("provider:OVH", 0.375, 1);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("adversary.placement"), std::string::npos) << what;
        EXPECT_NE(what.find("'OVH' runs 2 nodes, fewer than 3"), std::string::npos) << what;
    }
    EXPECT_THROW(placed("provider:Akamai", 0.125, 1), ScenarioError);  // runs none
    EXPECT_THROW(placed("by_country", 0.25, 1), ScenarioError);        // not a placement
}

TEST(AdversaryPlacement, TheCountRoundsFractionTimesNodesHalfAwayFromZero) {
    // llround: 0.3 x 8 = 2.4 -> 2; 0.3125 x 8 = 2.5 -> 3 (floor or half-to-even would give 2);
    // 0.0625 x 8 = 0.5 -> 1; 0.05 x 8 = 0.4 -> 0, and an adversary of no nodes is inactive.
    EXPECT_EQ(indices(placed("random", 0.3, 1)).size(), 2u);
    EXPECT_EQ(indices(placed("random", 0.3125, 1)).size(), 3u);
    EXPECT_EQ(indices(placed("random", 0.0625, 1)).size(), 1u);
    const auto sc = scenario({"adversary.fraction=0.05"});
    const Adversary none(sc, eight_nodes(), 0, 1);
    EXPECT_EQ(none.nodes(), std::vector<bool>(8, false));
    EXPECT_FALSE(none.active());
    EXPECT_EQ(indices(placed("random", 1.0, 1)), (Nodes{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(AdversaryPlacement, RandomPlacementIsFixedBySeedAndUniformOverNodesAndPairs) {
    // Same seed, same nodes; the draws of different seeds are not all alike.
    EXPECT_EQ(placed("random", 0.25, 42), placed("random", 0.25, 42));
    std::set<Nodes> outcomes;
    for (std::uint64_t seed = 1; seed <= 10; ++seed)
        outcomes.insert(indices(placed("random", 0.25, seed)));
    EXPECT_GT(outcomes.size(), 1u);

    // Uniform without replacement: over S seeds each node is taken with p = 2/8 and each of the
    // C(8,2) = 28 pairs with p = 1/28. Counts are Binomial(S, p); allow 4.5 standard deviations
    // sqrt(S p (1-p)): S = 4000 gives 1000 +/- 123 per node and 142.9 +/- 52.8 per pair.
    constexpr int kSeeds = 4000;
    const auto sc = scenario({"adversary.fraction=0.25"});
    const auto nodes = eight_nodes();
    std::vector<int> per_node(8, 0);
    std::map<Nodes, int> per_pair;
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
        const auto bad = indices(Adversary(sc, nodes, 0, seed).nodes());
        ASSERT_EQ(bad.size(), 2u);  // exactly llround(0.25 x 8), never a node twice
        for (const auto n : bad)
            ++per_node[n];
        ++per_pair[bad];
    }
    const auto band = [](double p) { return 4.5 * std::sqrt(kSeeds * p * (1 - p)); };
    for (std::size_t n = 0; n < 8; ++n)
        EXPECT_NEAR(per_node[n], kSeeds * 0.25, band(0.25)) << "node " << n;
    EXPECT_EQ(per_pair.size(), 28u);
    for (const auto& [pair, count] : per_pair)
        EXPECT_NEAR(count, kSeeds / 28.0, band(1.0 / 28)) << pair[0] << "," << pair[1];
}

TEST(AdversaryPlacement, PackedSubnetsTakeWhole24sAndSplitAtMostOne) {
    // Eight nodes in four /24s of two: 10.0.k.1 and 10.0.k.2.
    std::vector<net::PlacedHost> pairs;
    for (std::uint32_t k = 0; k < 4; ++k) {
        pairs.push_back({{"DE", -1}, ip(10, 0, k, 1), "Hetzner"});
        pairs.push_back({{"DE", -1}, ip(10, 0, k, 2), "Hetzner"});
    }
    std::set<Nodes> seen_fours;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        // 0.5 x 8 = 4 nodes: two whole /24s, so the taken nodes pair up as {2k, 2k+1}.
        const auto four = indices(placed("packed_subnets", 0.5, seed, pairs));
        ASSERT_EQ(four.size(), 4u);
        for (std::size_t j = 0; j < 4; j += 2) {
            EXPECT_EQ(four[j] % 2, 0u) << "seed " << seed;
            EXPECT_EQ(four[j + 1], four[j] + 1) << "seed " << seed;
        }
        seen_fours.insert(four);
        // 0.375 x 8 = 3 nodes: one whole /24 and one node of another; per /24 counts {2, 1, 0, 0}.
        const auto three = placed("packed_subnets", 0.375, seed, pairs);
        std::multiset<int> per_subnet;
        for (std::size_t k = 0; k < 4; ++k)
            per_subnet.insert(int(three[2 * k]) + int(three[2 * k + 1]));
        EXPECT_EQ(per_subnet, (std::multiset<int>{0, 0, 1, 2})) << "seed " << seed;
    }
    // The /24s are drawn at random: all C(4,2) = 6 pairs of /24s come up in 60 seeds (each is
    // missed by all 60 with probability (5/6)^60 ~ 2e-5).
    EXPECT_EQ(seen_fours.size(), 6u);
}

TEST(AdversaryPlacement, JoinersAreExactlyTheNodesRegisteringDuringTheRun) {
    const auto sc = scenario({"adversary.placement=joiners"});
    // 8 initial nodes and 2 joiners: hosts.csv's column has 10 entries, the last two true,
    // whatever adversary.fraction says.
    const Adversary sybils(sc, eight_nodes(), 2, 1);
    EXPECT_EQ(indices(sybils.nodes()), (Nodes{8, 9}));
    EXPECT_EQ(sybils.nodes().size(), 10u);
    EXPECT_THROW(Adversary(sc, eight_nodes(), 0, 1), ScenarioError);  // no joiners to be
}

TEST(AdversaryPlacement, AnUnknownLinkObserverIsAnErrorNamingTheKey) {
    const auto sc = scenario({"adversary.links=\"as:16276\""});
    try {
        Adversary(sc, eight_nodes(), 0, 1);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("adversary.links"), std::string::npos) << e.what();
    }
    // A link observer alone (no nodes) is an active adversary.
    EXPECT_TRUE(Adversary(scenario({"adversary.links=global"}), eight_nodes(), 0, 1).active());
}

// --- The timing correlator's window, at its edges ----------------------------------------------

/// A request entering its guard at `entry` and reaching its destination at `exit`.
observe::TrueRequest request_at(std::uint32_t client, double entry, double exit) {
    observe::TrueRequest r;
    r.client_ip = client;
    r.guard_time_s = entry;
    r.destination_time_s = exit;
    r.method = "store";
    return r;
}

TEST(CorrelatorWindow, AnEntryExactlyWBeforeTheExitIsInTheWindowAndJustOutsideIsNot) {
    // Times and windows are exact binary fractions, so t - w is computed exactly.
    // Alice enters at 1.0 and exits at 1.5; Bob enters at 1.25, exits at 3.0. Observer sees all.
    const std::vector<observe::TrueRequest> truth{request_at(kAlice, 1.0, 1.5),
                                                  request_at(kBob, 1.25, 3.0)};
    const observe::Sightings all{{true, true}, {true, true}};
    // w = 0.5: Alice's exit at 1.5 takes entries in [1.0, 1.5]: Alice's (exactly at 1.5 - w)
    // and Bob's. Bob's exit at 3.0 takes [2.5, 3.0]: none. Called 2, 1 true; Bob's pair missed.
    const auto edge = observe::score_linkage(truth, all, 0.5);
    EXPECT_EQ(edge.called, 2u);
    EXPECT_EQ(edge.called_true, 1u);
    EXPECT_EQ(edge.true_pairs, 2u);
    EXPECT_EQ(edge.candidate_pairs, 4u);      // 2 entries x 2 exits
    EXPECT_DOUBLE_EQ(edge.tpr(), 0.5);        // recall: 1 of 2 true pairs
    EXPECT_DOUBLE_EQ(edge.precision(), 0.5);  // 1 of 2 calls
    EXPECT_DOUBLE_EQ(edge.fpr(), 1.0 / 2);    // 1 false call of 4 - 2 negatives
    // w = 0.375: [1.125, 1.5] drops Alice's entry (0.125 s too early) but keeps Bob's.
    const auto narrower = observe::score_linkage(truth, all, 0.375);
    EXPECT_EQ(narrower.called, 1u);
    EXPECT_EQ(narrower.called_true, 0u);
    EXPECT_DOUBLE_EQ(narrower.precision(), 0.0);
    // w = 1.75: Bob's exit at 3.0 now takes [1.25, 3.0]: his own entry exactly at its edge,
    // not Alice's at 1.0. Alice's exit still takes both. Called 3, true 2: recall 1, precision
    // 2/3, FPR 1/2.
    const auto wide = observe::score_linkage(truth, all, 1.75);
    EXPECT_EQ(wide.called, 3u);
    EXPECT_EQ(wide.called_true, 2u);
    EXPECT_DOUBLE_EQ(wide.tpr(), 1.0);
    EXPECT_DOUBLE_EQ(wide.precision(), 2.0 / 3);
    EXPECT_DOUBLE_EQ(wide.fpr(), 0.5);
}

TEST(CorrelatorWindow, AnEntryAtTheExitsInstantCountsAndOneAfterItDoesNot) {
    // Carol enters at 2.0, the same instant Alice's request exits; Bob enters at 2.0625, after it.
    const std::vector<observe::TrueRequest> truth{request_at(kAlice, 1.75, 2.0),
                                                  request_at(kCarol, 2.0, 2.5),
                                                  request_at(kBob, 2.0625, 2.75)};
    const observe::Sightings seen{{true, true, true}, {true, false, false}};
    // Alice's exit at 2.0, w = 0.25: [1.75, 2.0] holds Alice (at the lower edge) and Carol (at
    // the upper edge), not Bob. Two candidates; the best guess is the latest entry: Carol.
    const auto guesses = observe::guess_senders(truth, seen, 0.25);
    ASSERT_EQ(guesses.size(), 1u);
    EXPECT_EQ(guesses[0].request, 0u);
    EXPECT_EQ(guesses[0].candidates, 2u);
    EXPECT_EQ(guesses[0].guess, kCarol);
    const auto s = observe::score_linkage(truth, seen, 0.25);
    EXPECT_EQ(s.called, 2u);
    EXPECT_EQ(s.called_true, 1u);
    EXPECT_EQ(s.guesses, 1u);
    EXPECT_EQ(s.guesses_right, 0u);
}

TEST(CorrelatorWindow, TiedEntriesAreBothCandidatesAndTheLaterRequestIsTheGuess) {
    // Alice and Bob enter at the same instant 1.0; Alice's exit is at 1.25, Bob's never seen.
    // A client entering twice in the window is one candidate, not two.
    const std::vector<observe::TrueRequest> truth{
        request_at(kAlice, 1.0, 1.25), request_at(kBob, 1.0, 9.0), request_at(kAlice, 1.125, 9.0)};
    const observe::Sightings seen{{true, true, true}, {true, false, false}};
    const auto g = observe::guess_senders(truth, seen, 0.5);
    ASSERT_EQ(g.size(), 1u);
    // Entries in [0.75, 1.25]: Alice 1.0, Bob 1.0, Alice 1.125 -> clients {Alice, Bob}: 2.
    EXPECT_EQ(g[0].candidates, 2u);
    EXPECT_EQ(g[0].guess, kAlice);  // the latest entry, 1.125, is Alice's
    // Without Alice's second entry the latest is a tie at 1.0, broken by request order: Bob's
    // (request 1) sorts after Alice's (request 0), so Bob is named.
    const observe::Sightings tie{{true, true, false}, {true, false, false}};
    const auto t = observe::guess_senders(truth, tie, 0.5);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].candidates, 2u);
    EXPECT_EQ(t[0].guess, kBob);
    const auto s = observe::score_linkage(truth, tie, 0.5);
    EXPECT_EQ(s.called, 2u);  // both tied entries are called
    EXPECT_EQ(s.called_true, 1u);
}

// --- The feature in a run: link observers, observations and the summary ------------------------

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
