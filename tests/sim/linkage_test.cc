// Ground truth from hop records joined link by link, and the windowed timing correlator scored
// against it, on hand-made records whose answers are known.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "sim/observe/linkage.h"
#include "sim/observe/user_compromise.h"

namespace sessionsim::observe {
namespace {

const std::vector<std::uint32_t> kNodeIp{0x0a000001, 0x0a000002, 0x0a000003,
                                         0x0a000004, 0x0a000005, 0x0a000006};
constexpr std::uint32_t kAlice = 0x14000001, kBob = 0x14000002;

/// A request over nodes `path` then `dest`, entering at `t`; ids as a node's link counter would.
std::vector<Hop> request(std::uint32_t client, std::uint64_t client_id,
                         const std::vector<std::size_t>& path, std::size_t dest, double t,
                         std::uint64_t first_link_id) {
    std::vector<Hop> hops;
    std::uint32_t from = client;
    std::uint64_t id = client_id;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        Hop h;
        h.time_s = t + 0.1 * static_cast<double>(i);
        h.node = i < path.size() ? path[i] : dest;
        h.from_ip = from;
        h.request_id = id;
        h.from_client = i == 0;
        if (i < path.size()) {
            h.next = i + 1 < path.size() ? path[i + 1] : dest;
            h.forwarded_as = first_link_id + i;
        } else {
            h.executed = true;
            h.method = "store";
            h.account = "05" + std::to_string(client);
        }
        from = kNodeIp[h.node];
        id = h.forwarded_as;
        hops.push_back(h);
    }
    return hops;
}

/// Alice enters at guard 0 and reaches node 3; Bob enters at guard 4, `bob_delay_s` later, and
/// also reaches node 3 (through his last relay 5).
std::vector<TrueRequest> alice_and_bob(double bob_delay_s = 0.05) {
    auto hops = request(kAlice, 1, {0, 1, 2}, 3, 1.0, 10);
    const auto bob = request(kBob, 1, {4, 1, 5}, 3, 1.0 + bob_delay_s, 20);
    hops.insert(hops.end(), bob.begin(), bob.end());
    return trace_requests(hops, kNodeIp);
}

/// The adversary runs Alice's guard and the common destination.
std::vector<bool> alices_guard_and_the_destination() {
    std::vector<bool> bad(6, false);
    bad[0] = bad[3] = true;
    return bad;
}

TEST(Linkage, ChainsJoinLinkByLinkAndBrokenOnesAreLeftOut) {
    auto hops = request(kAlice, 7, {0, 1, 2}, 3, 1.0, 100);
    const auto bob = request(kBob, 7, {4, 1, 5}, 3, 1.05, 100);  // same ids, other links
    hops.insert(hops.end(), bob.begin(), bob.end());
    auto lost = request(kBob, 8, {0, 2, 1}, 5, 2.0, 200);
    lost.pop_back();  // the destination never got it
    hops.insert(hops.end(), lost.begin(), lost.end());
    const auto truth = trace_requests(hops, kNodeIp);
    ASSERT_EQ(truth.size(), 2u);
    EXPECT_EQ(truth[0].client_ip, kAlice);
    EXPECT_EQ(truth[0].guard, 0u);
    EXPECT_EQ(truth[0].destination, 3u);
    EXPECT_NEAR(truth[0].destination_time_s, 1.3, 1e-12);
    EXPECT_EQ(truth[1].client_ip, kBob);
    EXPECT_EQ(truth[1].guard, 4u);
    EXPECT_EQ(truth[1].account, "05" + std::to_string(kBob));
}

TEST(Linkage, TimingCorrelatorCountsTrueAndFalseCalls) {
    // Alice enters at a malicious guard (0) and reaches a malicious destination (3); Bob's guard
    // (4) is honest but his request also ends at node 3, 50 ms after Alice's.
    const auto truth = alice_and_bob();
    const auto bad = alices_guard_and_the_destination();
    const auto s = score_linkage(truth, bad, 0.5);
    EXPECT_EQ(s.requests, 2u);
    EXPECT_EQ(s.positioned, 1u);
    EXPECT_EQ(s.candidate_pairs, 2u);  // one guard observation x two destination observations
    EXPECT_EQ(s.called, 2u);           // both destination sightings fall in Alice's window
    EXPECT_EQ(s.called_true, 1u);
    EXPECT_DOUBLE_EQ(s.tpr(), 1.0);
    EXPECT_DOUBLE_EQ(s.fpr(), 1.0);
    EXPECT_DOUBLE_EQ(s.precision(), 0.5);
    EXPECT_EQ(s.guesses, 2u);
    EXPECT_EQ(s.guesses_right, 1u);  // Bob's store is pinned on Alice
    // A window shorter than the three hops' 0.3 s misses even the true pair.
    const auto narrow = score_linkage(truth, bad, 0.2);
    EXPECT_EQ(narrow.called_true, 0u);
    EXPECT_DOUBLE_EQ(narrow.tpr(), 0.0);
}

TEST(Linkage, TheRecipientIsIdentifiedKnownUpToItsSwarmOrHidden) {
    const auto truth = alice_and_bob();
    ASSERT_EQ(truth.size(), 2u);
    EXPECT_EQ(truth[0].last_relay, 2u);
    EXPECT_EQ(truth[1].last_relay, 5u);
    std::vector<bool> bad(6, false);
    bad[5] = true;  // Bob's last relay: it learns node 3, a member of the recipient's swarm
    const auto e = recipient_exposure(truth, bad);
    EXPECT_EQ(e.stores, 2u);
    EXPECT_EQ(e.identified, 0u);
    EXPECT_EQ(e.swarm_known, 1u);
    EXPECT_EQ(e.hidden, 1u);
    bad[3] = true;  // the destination reads the account in both stores
    const auto both = recipient_exposure(truth, bad);
    EXPECT_EQ(both.identified, 2u);
    EXPECT_EQ(both.swarm_known, 0u);
}

TEST(Linkage, RelationshipsAreLinkedOnlyWithTheDestinationAndTheRightGuess) {
    // Alice's store enters at malicious guard 0 and ends at malicious node 3: linked. Bob's
    // ends there too, but his guard is honest: the adversary's best guess is Alice, wrong.
    const auto truth = alice_and_bob();
    auto bad = alices_guard_and_the_destination();
    const auto stores = store_anonymity(truth, bad, 0.5, 8);
    ASSERT_EQ(stores.size(), 2u);
    EXPECT_TRUE(stores[0].linked);
    EXPECT_FALSE(stores[1].linked);
    EXPECT_EQ(stores[1].guess, kAlice);  // Bob's store pinned on Alice: wrong
    const auto r = score_relationships(truth, stores);
    EXPECT_EQ(r.stores, 2u);
    EXPECT_EQ(r.linked, 1u);
    EXPECT_EQ(r.edges, 2u);
    EXPECT_EQ(r.edges_recovered, 1u);
    // Each store executed by the adversary had one candidate sender (H = 0).
    EXPECT_DOUBLE_EQ(r.mean_entropy_bits, 0.0);
    EXPECT_DOUBLE_EQ(r.mean_set_size, 1.0);
    EXPECT_DOUBLE_EQ(r.mean_degree, 0.0);
    bad[3] = false;  // it no longer sees the recipients: nothing linked, H = log2(8 clients)
    const auto none = score_relationships(truth, store_anonymity(truth, bad, 0.5, 8));
    EXPECT_EQ(none.linked, 0u);
    EXPECT_DOUBLE_EQ(none.mean_entropy_bits, 3.0);
    EXPECT_DOUBLE_EQ(none.mean_effective_size, 8.0);
    EXPECT_DOUBLE_EQ(none.mean_degree, 1.0);
}

TEST(Linkage, ALinkObserverCorrelatesTheEndsItSees) {
    const auto truth = alice_and_bob(4.0);
    // A global observer sees every entry and exit: well-separated requests are all linked.
    const Sightings all{{true, true}, {true, true}};
    const auto g = score_linkage(truth, all, 0.5);
    EXPECT_EQ(g.positioned, 2u);
    EXPECT_EQ(g.called, 2u);
    EXPECT_EQ(g.called_true, 2u);
    EXPECT_EQ(g.guesses_right, 2u);
    // One that sees only Alice's entry and Bob's exit links nothing.
    const Sightings crossed{{true, false}, {false, true}};
    const auto c = score_linkage(truth, crossed, 0.5);
    EXPECT_EQ(c.positioned, 0u);
    EXPECT_EQ(c.called, 0u);
    // Node sightings are the malicious guard and destination.
    const auto n = node_sightings(truth, alices_guard_and_the_destination());
    EXPECT_EQ(n.entry, (std::vector<bool>{true, false}));
    EXPECT_EQ(n.exit, (std::vector<bool>{true, true}));
}

/// The correlator and the sender guesses against a brute force written out here: every exit
/// sighting's window scanned entry by entry, its clients collected in a set (what the code did
/// before it counted them in a sliding window).
TEST(Linkage, SlidingWindowCountsMatchABruteForceOverEveryWindow) {
    std::mt19937 random(11);
    std::vector<TrueRequest> truth(3000);
    Sightings seen;
    for (auto& r : truth) {
        r.client_ip = 0x14000000 + random() % 97;  // clients repeat inside windows
        // Times on a 5 ms grid, so that ties and window edges (0.25 s = 50 steps) occur.
        r.guard_time_s = static_cast<double>(random() % 4000) * 0.005;
        r.destination_time_s = r.guard_time_s + static_cast<double>(random() % 120) * 0.005;
        seen.entry.push_back(random() % 3 != 0);
        seen.exit.push_back(random() % 2 == 0);
    }
    const double window = 0.25;
    std::size_t called = 0, called_true = 0, checked = 0;
    const auto guesses = guess_senders(truth, seen, window);
    auto guess = guesses.begin();
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (!seen.exit[i])
            continue;
        const double t = truth[i].destination_time_s;
        std::set<std::uint32_t> clients;
        std::optional<std::pair<double, std::size_t>> latest;
        for (std::size_t j = 0; j < truth.size(); ++j) {
            const double g = truth[j].guard_time_s;
            if (!seen.entry[j] || g < t - window || g > t)
                continue;
            ++called;
            called_true += j == i;
            clients.insert(truth[j].client_ip);
            if (!latest || std::pair{g, j} > *latest)
                latest = std::pair{g, j};
        }
        ASSERT_NE(guess, guesses.end());
        EXPECT_EQ(guess->request, i);
        EXPECT_EQ(guess->candidates, clients.size()) << "request " << i;
        EXPECT_EQ(guess->guess,
                  latest ? std::optional(truth[latest->second].client_ip) : std::nullopt);
        ++guess;
        ++checked;
    }
    EXPECT_EQ(guess, guesses.end());
    const auto score = score_linkage(truth, seen, window);
    EXPECT_EQ(score.called, called);
    EXPECT_EQ(score.called_true, called_true);
    EXPECT_GT(checked, 1000u);
    EXPECT_GT(called_true, 100u);
}

TEST(UserCompromise, CountsEachUsersStoresInTimeOrder) {
    auto hops = request(kAlice, 1, {4, 1, 2}, 5, 1.0, 10);  // honest guard
    for (const auto& [id, t] : std::vector<std::pair<std::uint64_t, double>>{{2, 2.0}, {3, 3.0}}) {
        const auto more = request(kAlice, id, {0, 1, 2}, 3, t, 10 * id);
        hops.insert(hops.end(), more.begin(), more.end());
    }
    const auto bob = request(kBob, 1, {4, 1, 2}, 5, 1.5, 50);
    hops.insert(hops.end(), bob.begin(), bob.end());
    const auto users =
        user_compromise(trace_requests(hops, kNodeIp), alices_guard_and_the_destination());
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].client_ip, kAlice);
    EXPECT_EQ(users[0].stores, 3u);
    EXPECT_EQ(users[0].compromised, 2u);
    EXPECT_EQ(users[0].first_compromised_at, 2u);
    EXPECT_NEAR(*users[0].first_compromised_s - users[0].first_store_s, 1.0, 1e-12);
    EXPECT_EQ(users[1].compromised, 0u);
    EXPECT_FALSE(users[1].first_compromised_at);
}

TEST(UserCompromise, ClosedFormsPlateauWithGuardsAndConvergeWithout) {  // §1.7 tables
    // A large network, so that drawing without replacement is the f^2 of the tables.
    const double n = 1e6;
    EXPECT_NEAR(expected_compromised_fresh(n, 0.1 * n, 100), 0.6340, 1e-3);
    EXPECT_NEAR(expected_compromised_fresh(n, 0.01 * n, 10'000), 0.6321, 1e-3);
    EXPECT_NEAR(expected_compromised_guards(n, 0.1 * n, 2, 100), 0.1889, 1e-3);
    EXPECT_NEAR(expected_compromised_guards(n, 0.1 * n, 2, 10'000), 0.1900, 1e-4);
    EXPECT_NEAR(expected_compromised_guards(n, 0.05 * n, 1, 100), 0.0497, 1e-3);
    EXPECT_NEAR(expected_compromised_guards(n, 0.05 * n, 1, 10'000), 0.0500, 1e-4);
}

}  // namespace
}  // namespace sessionsim::observe
