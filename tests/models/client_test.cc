// Client state machines with a fake clock: path selection properties, guard stability under
// strikes, and sending/polling through real service nodes in memory (duplicates dropped).
#include <gtest/gtest.h>

#include <set>

#include "models/client/client.h"
#include "tests/support/client_network.h"

namespace sessionsim::client {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

TEST(NodePool, CopiesShareOneListUntilOneDropsANode) {
    const NodePool directory(test_pool(50, 9));
    NodePool a = directory, b = directory;
    EXPECT_TRUE(a.shares_with(b)) << "100,000 clients must not hold 100,000 copies";
    const auto dropped = a.nodes()[7].ed25519;
    a.remove(dropped);
    EXPECT_FALSE(a.contains(dropped));
    EXPECT_EQ(a.size(), 49u);
    EXPECT_TRUE(b.contains(dropped)) << "the others keep the node";
    EXPECT_EQ(b.size(), 50u);
    EXPECT_TRUE(b.shares_with(directory));
    EXPECT_EQ(a.find(a.nodes()[10].ed25519), &a.nodes()[10]);
    a.remove(dropped);  // already gone: nothing happens
    EXPECT_EQ(a.size(), 49u);
    EXPECT_EQ(NodePool().size(), 0u);
    EXPECT_EQ(NodePool().find(dropped), nullptr);
}

TEST(PathManager, PathsHaveDistinctSubnetsGuardsAndNeverTheDestination) {
    NodePool pool(test_pool(60, 1, /*per_subnet=*/3));  // 20 /24s of 3 nodes each
    PathManager paths(ClientConfig{}, pool);
    crypto::SeededRandom random(2, "paths");
    ASSERT_TRUE(paths.build(random));
    ASSERT_EQ(paths.paths().size(), 2u);
    const auto guards = paths.guards();
    EXPECT_NE(guards[0], guards[1]);
    for (int trial = 0; trial < 500; ++trial) {
        const auto& destination = pool.nodes()[random.uniform(pool.size())];
        const auto path = paths.path_for(destination.ed25519, random);
        ASSERT_TRUE(path);
        ASSERT_EQ(path->size(), 3u);
        std::set<std::uint32_t> subnets;
        std::set<crypto::Ed25519PublicKey> ids;
        for (const auto& n : *path) {
            subnets.insert(n.subnet24());
            ids.insert(n.ed25519);
            EXPECT_NE(n.ed25519, destination.ed25519) << "destination on its own path";
        }
        EXPECT_EQ(subnets.size(), 3u) << "two path nodes share a /24";
        EXPECT_EQ(ids.size(), 3u);
    }
}

TEST(PathManager, FreshPathModeDrawsANewPathEveryTimeAndKeepsNone) {
    NodePool pool(test_pool(60, 4, /*per_subnet=*/3));
    ClientConfig config;
    config.fresh_paths = true;
    PathManager paths(config, pool);
    crypto::SeededRandom random(5, "fresh paths");
    std::set<crypto::Ed25519PublicKey> first_hops;
    for (int trial = 0; trial < 200; ++trial) {
        const auto& destination = pool.nodes()[random.uniform(pool.size())];
        const auto path = paths.path_for(destination.ed25519, random);
        ASSERT_TRUE(path);
        ASSERT_EQ(path->size(), 3u);
        std::set<std::uint32_t> subnets;
        for (const auto& n : *path) {
            subnets.insert(n.subnet24());
            EXPECT_NE(n.ed25519, destination.ed25519);
        }
        EXPECT_EQ(subnets.size(), 3u);
        first_hops.insert(path->front().ed25519);
    }
    EXPECT_TRUE(paths.paths().empty());  // no guards pinned
    EXPECT_GT(first_hops.size(), 40u);   // 200 draws over 60 nodes reach most of them
}

TEST(PathManager, GuardsStayUntilTheThirdStrike) {
    NodePool pool(test_pool(40, 3));
    PathManager paths(ClientConfig{}, pool);
    crypto::SeededRandom random(4, "strikes");
    ASSERT_TRUE(paths.build(random));
    const auto guards = paths.guards();
    const Path first = paths.paths()[0];
    paths.report_failure(first, PathFailure::timeout, std::nullopt, random);
    paths.report_failure(first, PathFailure::timeout, std::nullopt, random);
    EXPECT_EQ(paths.guards(), guards) << "guards must survive two strikes";
    EXPECT_EQ(paths.path_strikes(first.front().ed25519), 2);
    paths.report_failure(first, PathFailure::timeout, std::nullopt, random);
    const auto after = paths.guards();
    EXPECT_EQ(after.size(), 2u) << "rebuilt";
    EXPECT_EQ(std::count(after.begin(), after.end(), first.front().ed25519), 0);
    EXPECT_FALSE(pool.contains(first.front().ed25519)) << "the failed guard leaves the pool";
    EXPECT_EQ(std::count(after.begin(), after.end(), guards[1]), 1) << "the other guard is kept";
}

TEST(PathManager, NodeNotFoundDropsThatNodeAtOnceAndPatchesThePath) {
    NodePool pool(test_pool(40, 5));
    PathManager paths(ClientConfig{}, pool);
    crypto::SeededRandom random(6, "patch");
    ASSERT_TRUE(paths.build(random));
    const Path before = paths.paths()[0];
    const auto middle = before[1].ed25519;
    paths.report_failure(before, PathFailure::node_not_found, middle, random);
    EXPECT_FALSE(pool.contains(middle));
    EXPECT_EQ(paths.paths()[0].front().ed25519, before.front().ed25519) << "guard kept";
    for (const auto& p : paths.paths()) {
        for (const auto& n : p)
            EXPECT_NE(n.ed25519, middle);
    }
    // Node strikes: three before a node is dropped.
    const auto relay = paths.paths()[0][2].ed25519;
    paths.report_failure(paths.paths()[0], PathFailure::node_unreachable, relay, random);
    paths.report_failure(paths.paths()[0], PathFailure::node_unreachable, relay, random);
    EXPECT_TRUE(pool.contains(relay));
    paths.report_failure(paths.paths()[0], PathFailure::node_unreachable, relay, random);
    EXPECT_FALSE(pool.contains(relay));
}

TEST(PathManager, TooSmallPoolCannotBuild) {
    NodePool pool(test_pool(2, 7));
    PathManager paths(ClientConfig{}, pool);
    crypto::SeededRandom random(8, "small");
    EXPECT_FALSE(paths.build(random));
}

TEST(PollState, LastHashPerNodeAndNamespaceAndDeduplication) {
    PollState state;
    crypto::Ed25519PublicKey a{}, b{};
    b[0] = 1;
    state.set_last_hash(a, {}, 0, "h1");
    EXPECT_EQ(state.last_hash(a, {}, 0), "h1");
    EXPECT_EQ(state.last_hash(b, {}, 0), "");
    EXPECT_EQ(state.last_hash(a, {}, 2), "");
    EXPECT_TRUE(state.first_sighting("h1", kNow + 10));
    EXPECT_FALSE(state.first_sighting("h1", kNow + 10));
    state.prune(kNow + 10);
    EXPECT_EQ(state.remembered(), 0u);
}

TEST_F(ClientNetwork, SendThenPollDeliversExactlyOnce) {
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi bob", kNow);
    const auto sent = drive(*alice_, events, kNow);
    ASSERT_EQ(sent.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<MessageStored>(sent[0]))
        << std::get<MessageFailed>(sent[0]).reason;
    EXPECT_EQ(std::get<MessageStored>(sent[0]).message_id, id);

    // Bob polls two swarm members: both hold the message, he sees it once.
    const auto got = drive(*bob_, bob_->poll(kNow + 1000), kNow + 1000);
    const auto& c = bob_->counters();
    ASSERT_EQ(got.size(), 1u) << "requests " << c.requests << " timeouts " << c.timeouts
                              << " swarm_fetches " << c.swarm_fetches << " undecryptable "
                              << c.undecryptable << " dups " << c.duplicates_dropped << " polls "
                              << c.polls;
    const auto& received = std::get<MessageReceived>(got[0]);
    EXPECT_EQ(received.message.text, "hi bob");
    EXPECT_EQ(received.message.sender, alice_->identity().session_id());
    EXPECT_GE(bob_->counters().duplicates_dropped, 1u);
    // Not due yet; then due, and nothing new.
    EXPECT_TRUE(bob_->poll(kNow + 2000).empty());
    EXPECT_TRUE(drive(*bob_, bob_->poll(kNow + 6000), kNow + 6000).empty());
}

TEST_F(ClientNetwork, DownGuardCostsStrikesAndTheMessageStillGetsThrough) {
    // Take one of alice's guards down after her paths exist.
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "first", kNow);
    drive(*alice_, events, kNow);
    net_.down.insert(net_.index_of(alice_->paths().guards()[0]));
    int stored = 0;
    for (int i = 0; i < 6; ++i) {
        auto [mid, ev] =
            alice_->send_text(bob_->identity().session_id(), "m" + std::to_string(i), kNow + i);
        for (const auto& e : drive(*alice_, ev, kNow + i))
            stored += std::holds_alternative<MessageStored>(e);
    }
    EXPECT_EQ(stored, 6);
    EXPECT_GT(alice_->counters().timeouts, 0u);
}

}  // namespace
}  // namespace sessionsim::client

namespace sessionsim::client {
namespace {

TEST(PollSchedule, GroupsPollOnTheDesktopScheduleAndEverythingSlowsInTheBackground) {
    constexpr std::int64_t day = 24LL * 3600 * 1000;
    EXPECT_EQ(group_poll_interval_ms(10 * day, 10 * day - 1000), 5'000);
    EXPECT_EQ(group_poll_interval_ms(10 * day, 10 * day - 3 * day), 60'000);
    EXPECT_EQ(group_poll_interval_ms(10 * day, 10 * day - 8 * day), 120'000);
    EXPECT_EQ(group_poll_interval_ms(10 * day, std::nullopt), 120'000);
}

}  // namespace
}  // namespace sessionsim::client
