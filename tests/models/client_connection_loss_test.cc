// What a lost connection to a guard does under each profile (client.connection_loss): a
// libsession client fails the path at once as if it had reached its strike threshold; the other
// profiles leave it to their request timeouts.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/client/client.h"
#include "models/client/path_manager.h"
#include "models/client/profiles.h"
#include "tests/support/client_network.h"

namespace sessionsim::client {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kHourMs = 3600LL * 1000;

/// A profile's rules with its paths ready at once (no guard test).
ClientConfig untested(const char* name) {
    auto config = find_client_profile(name)->config;
    config.guard_test = ClientConfig::GuardTest::none;
    return config;
}

bool has_guard(const PathManager& paths, const crypto::Ed25519PublicKey& guard) {
    return std::any_of(paths.paths().begin(), paths.paths().end(),
                       [&](const Path& p) { return p.front().ed25519 == guard; });
}

struct Built {
    explicit Built(const char* profile)
        : pool(test_pool(40, 3)), fresh(pool), paths(untested(profile), pool), random(4, "loss") {
        EXPECT_TRUE(paths.build(random));
    }
    NodePool pool, fresh;
    PathManager paths;
    crypto::SeededRandom random;
};

TEST(ConnectionLoss, LibsessionFailsThePathOfALostGuardConnectionAtItsStrikeThreshold) {
    Built b("libsession");
    const Path lost = b.paths.paths()[0];
    const auto kept = b.paths.paths()[1];
    b.paths.connection_lost(lost[0].ed25519, b.random, kNow);
    EXPECT_FALSE(has_guard(b.paths, lost[0].ed25519));
    EXPECT_TRUE(has_guard(b.paths, kept[0].ed25519)) << "the other path is untouched";
    EXPECT_EQ(b.paths.paths().size(), 2u) << "a replacement is built";
    EXPECT_EQ(b.paths.paths_dropped(), 1u);
    EXPECT_FALSE(b.pool.contains(lost[0].ed25519)) << "the guard of a failed path goes";
    for (const auto& n : lost)
        EXPECT_EQ(b.paths.node_strikes(n.ed25519, kNow), 1) << "one strike each, as at a drop";
    EXPECT_TRUE(b.pool.contains(lost[1].ed25519) && b.pool.contains(lost[2].ed25519));
}

TEST(ConnectionLoss, TheStrikesOfALostConnectionOutliveARefreshAndExpire) {
    Built b("libsession");
    const auto relay = b.paths.paths()[0][1].ed25519;
    b.paths.connection_lost(b.paths.paths()[0][0].ed25519, b.random, kNow);
    b.pool = b.fresh;  // the node list refetched
    b.paths.on_pool_refresh(kNow + kHourMs);
    EXPECT_EQ(b.paths.node_strikes(relay, kNow + kHourMs), 1);
    EXPECT_EQ(b.paths.node_strikes(relay, kNow + 48 * kHourMs), 0) << "STRIKE_EXPIRY";
}

TEST(ConnectionLoss, AConnectionToANodeThatIsNoPathsGuardChangesNothing) {
    Built b("libsession");
    const auto before = b.paths.paths();
    const auto relay = before[0][1].ed25519;  // e.g. a node the client probed directly
    b.paths.connection_lost(relay, b.random, kNow);
    EXPECT_EQ(b.paths.paths(), before);
    EXPECT_EQ(b.paths.node_strikes(relay, kNow), 0);
}

TEST(ConnectionLoss, TheTcpProfilesLeaveALostConnectionToTheirRequestTimeouts) {
    for (const auto* name : {"composite", "desktop", "android"}) {
        Built b(name);
        const auto before = b.paths.paths();
        b.paths.connection_lost(before[0][0].ed25519, b.random, kNow);
        EXPECT_EQ(b.paths.paths(), before) << name;
        EXPECT_EQ(b.paths.paths_dropped(), 0u) << name;
        EXPECT_TRUE(b.pool.contains(before[0][0].ed25519)) << name;
    }
}

class ClientConnectionLoss : public ClientNetwork {};

TEST_F(ClientConnectionLoss, ALibsessionClientTestsTheGuardOfThePathThatReplacesALostOne) {
    make_clients(find_client_profile("libsession")->config);
    auto& c = *alice_;
    // The first poll builds two paths and sends their guards' tests; pass them.
    ClientEvents events = c.poll(kNow);
    std::size_t tests = 0;
    for (auto& e : events) {
        if (const auto* d = std::get_if<SendDirect>(&e)) {
            ++tests;
            c.on_reply(d->request_id,
                       net_.direct_rpc(net_.index_of(d->node.ed25519), d->body, kNow), kNow);
        }
    }
    ASSERT_EQ(tests, 2u);
    ASSERT_EQ(c.paths().paths().size(), 2u);
    const auto lost = c.paths().paths()[0][0].ed25519;
    const auto after = c.on_connection_lost(lost, kNow + 1000);
    EXPECT_EQ(c.counters().connections_lost, 1u);
    EXPECT_FALSE(has_guard(c.paths(), lost));
    std::vector<crypto::Ed25519PublicKey> tested;
    for (const auto& e : after) {
        if (const auto* d = std::get_if<SendDirect>(&e))
            tested.push_back(d->node.ed25519);
    }
    ASSERT_EQ(tested.size(), 1u) << "one new guard to test";
    EXPECT_NE(tested[0], lost);
}

TEST_F(ClientConnectionLoss, ADesktopClientCountsNothingForALostConnection) {
    make_clients(untested("desktop"));
    auto& c = *alice_;
    c.poll(kNow);
    const auto before = c.paths().paths();
    ASSERT_FALSE(before.empty());
    EXPECT_TRUE(c.on_connection_lost(before[0][0].ed25519, kNow + 1000).empty());
    EXPECT_EQ(c.counters().connections_lost, 0u);
    EXPECT_EQ(c.paths().paths(), before);
}

}  // namespace
}  // namespace sessionsim::client
