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

}  // namespace
}  // namespace sessionsim::scenario
