// The client profiles' rules, one test each, on the sans-I/O client with a fake clock: poll
// schedules and node choice, retry delays, strikes and their expiry, subnet diversity, sync
// copies. Real service nodes in memory answer (tests/support/client_network.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "models/client/client.h"
#include "models/client/profiles.h"
#include "tests/support/client_network.h"

namespace sessionsim::client {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kHourMs = 3600LL * 1000;

const ClientConfig& profile(const char* name) {
    const auto* p = find_client_profile(name);
    EXPECT_NE(p, nullptr) << name;
    return p->config;
}

/// A profile's rules with its paths ready at once (no guard test): for the path manager alone.
ClientConfig untested(const char* name) {
    auto config = profile(name);
    config.guard_test = ClientConfig::GuardTest::none;
    return config;
}

std::vector<SendOnion> sends_in(const ClientEvents& events) {
    std::vector<SendOnion> out;
    for (const auto& e : events) {
        if (const auto* s = std::get_if<SendOnion>(&e))
            out.push_back(*s);
    }
    return out;
}

TEST(ClientProfiles, EveryProfileHasANameAndTheCompositeIsTheFirstClient) {
    const auto names = client_profile_names();
    EXPECT_EQ(names,
              (std::vector<std::string>{"composite", "desktop", "android", "ios", "libsession"}));
    // composite is sessionsim's first client: the structs' defaults, unchanged.
    const ClientConfig defaults;
    const auto& composite = profile("composite");
    EXPECT_EQ(composite.poll_schedule, defaults.poll_schedule);
    EXPECT_EQ(composite.poll_nodes, defaults.poll_nodes);
    EXPECT_EQ(composite.path_failure_strikes, defaults.path_failure_strikes);
    EXPECT_EQ(find_client_profile("composite")->driver.reuse, DriverConfig{}.reuse);
    EXPECT_EQ(find_client_profile("no such client"), nullptr);
}

/// Answers every guard test in `events` at once (they pass) until none is left; returns the
/// other events.
ClientEvents pass_guard_tests(test::NodeNetwork& nodes, Client& c, ClientEvents events,
                              std::int64_t now) {
    ClientEvents rest;
    while (!events.empty()) {
        ClientEvent e = std::move(events.front());
        events.erase(events.begin());
        if (const auto* d = std::get_if<SendDirect>(&e)) {
            auto more =
                c.on_reply(d->request_id,
                           nodes.direct_rpc(nodes.index_of(d->node.ed25519), d->body, now), now);
            events.insert(events.end(), more.begin(), more.end());
        } else {
            rest.push_back(std::move(e));
        }
    }
    return rest;
}

/// A client whose requests the test answers by hand, at the times it chooses.
class HandDriven : public ClientNetwork {
protected:
    /// Answers `send` as the network would, at `now`.
    ClientEvents answer(Client& c, const SendOnion& send, std::int64_t now) {
        const auto reply = net_.onion_request(net_.index_of(send.guard.ed25519), send.body, now);
        if (reply.status == 0)  // nobody answered: the client's timeout
            return c.on_reply(send.request_id, std::nullopt, now);
        return c.on_reply(send.request_id, reply, now);
    }
    /// The client's first poll at `now`: its guards tested, its swarm learnt (answered by
    /// `answer`); returns the retrieves it then sends.
    std::vector<SendOnion> learn_swarm_then_poll(
        Client& c, std::int64_t now, const std::function<ClientEvents(const SendOnion&)>& answer) {
        // The first poll asks for the swarm (and, for clients that check the network's time
        // with info requests, for that: those answers send nothing more).
        const auto first = sends_in(pass_guard_tests(net_, c, c.poll(now), now));
        const auto expected =
            c.config().network_time == ClientConfig::NetworkTime::info_median ? 4u : 1u;
        EXPECT_EQ(first.size(), expected);
        std::vector<SendOnion> retrieves;
        for (const auto& send : first) {
            const auto more = sends_in(answer(send));
            retrieves.insert(retrieves.end(), more.begin(), more.end());
        }
        return retrieves;
    }
};

TEST_F(HandDriven, DesktopPollStartsFiveSecondsAfterTheSlowerRetrieveEnds) {
    make_clients(profile("desktop"));
    auto& bob = *bob_;
    const auto retrieves = learn_swarm_then_poll(
        bob, kNow, [&](const SendOnion& s) { return answer(bob, s, kNow + 50); });
    ASSERT_EQ(retrieves.size(), 2u) << "desktop asks two swarm members";
    EXPECT_EQ(bob.next_poll_ms(), kNoPollScheduled) << "no next poll while one is out";
    answer(bob, retrieves[0], kNow + 300);
    EXPECT_EQ(bob.next_poll_ms(), kNoPollScheduled) << "the slower retrieve is still out";
    answer(bob, retrieves[1], kNow + 2'400);
    EXPECT_EQ(bob.next_poll_ms(), kNow + 2'400 + 5'000);
    EXPECT_TRUE(bob.poll(kNow + 7'399).empty()) << "not due yet";
    EXPECT_EQ(sends_in(bob.poll(kNow + 7'400)).size(), 2u);
}

TEST_F(HandDriven, CompositePollsOnAFixedClock) {
    make_clients(profile("composite"));
    auto& bob = *bob_;
    const auto retrieves = learn_swarm_then_poll(
        bob, kNow, [&](const SendOnion& s) { return answer(bob, s, kNow + 50); });
    ASSERT_EQ(retrieves.size(), 2u);
    EXPECT_EQ(bob.next_poll_ms(), kNow + 5'000) << "from the start of the previous poll";
    answer(bob, retrieves[0], kNow + 9'000);
    EXPECT_EQ(bob.next_poll_ms(), kNow + 5'000) << "a slow answer does not move it";
}

TEST_F(HandDriven, AndroidBacksOffTwoSecondsPerFailureUpToTenAndResetsOnSuccess) {
    make_clients(profile("android"));
    auto& bob = *bob_;
    auto retrieves =
        learn_swarm_then_poll(bob, kNow, [&](const SendOnion& s) { return answer(bob, s, kNow); });
    ASSERT_EQ(retrieves.size(), 1u) << "Android asks one node";
    std::int64_t t = kNow;
    // Each poll times out (no answer): 4, 6, 8, 10, 10 s after the failed one ends.
    for (const std::int64_t expected : {4'000, 6'000, 8'000, 10'000, 10'000}) {
        t += 120'000;  // the timeout
        bob.on_reply(retrieves.front().request_id, std::nullopt, t);
        ASSERT_EQ(bob.next_poll_ms(), t + expected);
        t = bob.next_poll_ms();
        retrieves = sends_in(bob.poll(t));
        ASSERT_EQ(retrieves.size(), 1u);
    }
    answer(bob, retrieves.front(), t + 200);
    EXPECT_EQ(bob.next_poll_ms(), t + 200 + 2'000) << "an answered poll: back to 2 s";
    EXPECT_EQ(bob.counters().polls_failed, 5u);
}

TEST_F(HandDriven, IosRetriesSoonerThanItPollsAfterAFailure) {
    make_clients(profile("ios"));
    auto& bob = *bob_;
    auto retrieves =
        learn_swarm_then_poll(bob, kNow, [&](const SendOnion& s) { return answer(bob, s, kNow); });
    ASSERT_EQ(retrieves.size(), 1u);
    bob.on_reply(retrieves.front().request_id, std::nullopt, kNow + 10'000);
    // 0.25 s x 1.2 x failures (CurrentUserPoller): 0.3 s, shorter than the 1.5 s interval.
    EXPECT_EQ(bob.next_poll_ms(), kNow + 10'000 + 300);
}

TEST_F(HandDriven, IosKeepsOneNodeForSixPollsAndAndroidTakesANewOneEachPoll) {
    for (const auto* name : {"ios", "android"}) {
        make_clients(profile(name));
        auto& bob = *bob_;
        std::int64_t t = kNow;
        auto retrieves =
            learn_swarm_then_poll(bob, t, [&](const SendOnion& s) { return answer(bob, s, t); });
        std::vector<crypto::Ed25519PublicKey> asked;
        for (int poll = 0; poll < 12; ++poll) {
            ASSERT_EQ(retrieves.size(), 1u) << name;
            asked.push_back(retrieves.front().destination);
            answer(bob, retrieves.front(), t + 100);
            t = bob.next_poll_ms();
            retrieves = sends_in(bob.poll(t));
        }
        if (std::string(name) == "ios") {
            EXPECT_TRUE(std::all_of(asked.begin(), asked.begin() + 6,
                                    [&](const auto& k) { return k == asked[0]; }));
            EXPECT_NE(asked[6], asked[5]) << "a new node after six polls";
            EXPECT_TRUE(std::all_of(asked.begin() + 6, asked.end(),
                                    [&](const auto& k) { return k == asked[6]; }));
        } else {
            // Without replacement: the first polls all ask different members (swarms hold
            // at least 5).
            const std::set<crypto::Ed25519PublicKey> first(asked.begin(), asked.begin() + 5);
            EXPECT_EQ(first.size(), 5u) << "Android drains the swarm, one new node per poll";
        }
    }
}

/// Two paths built under a profile's rules (no guard test) from 40 nodes in 40 /24s.
struct BuiltPaths {
    explicit BuiltPaths(const char* profile_name)
        : pool(test_pool(40, 3)), paths(untested(profile_name), pool), random(4, "strikes") {
        EXPECT_TRUE(paths.build(random));
    }
    NodePool pool;
    PathManager paths;
    crypto::SeededRandom random;
};

TEST(PathStrikes, ADesktopPathFailureStrikesBothRelaysButNotTheGuard) {
    BuiltPaths built("desktop");
    auto& [pool, paths, random] = built;
    const Path path = paths.paths()[0];
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    EXPECT_EQ(paths.path_strikes(path[0].ed25519, kNow), 1);
    EXPECT_EQ(paths.node_strikes(path[0].ed25519, kNow), 0) << "desktop skips the guard";
    EXPECT_EQ(paths.node_strikes(path[1].ed25519, kNow), 1);
    EXPECT_EQ(paths.node_strikes(path[2].ed25519, kNow), 1);
    // A timeout is a path failure too for desktop.
    paths.report_failure(path, PathFailure::timeout, std::nullopt, random, kNow);
    paths.report_failure(path, PathFailure::timeout, std::nullopt, random, kNow);
    for (const auto& n : path)
        EXPECT_FALSE(pool.contains(n.ed25519)) << "guard out by its path, relays by strikes";
}

TEST(PathStrikes, CompositeStrikesOnlyThePath) {
    BuiltPaths built("composite");
    auto& [pool, paths, random] = built;
    const Path path = paths.paths()[0];
    for (int i = 0; i < 3; ++i)
        paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    EXPECT_FALSE(pool.contains(path[0].ed25519));
    EXPECT_TRUE(pool.contains(path[1].ed25519) && pool.contains(path[2].ed25519));
}

TEST(PathStrikes, AndroidStrikesTheGuardOnATimeoutAndEveryNodeOnAnErrorStatus) {
    BuiltPaths built("android");
    auto& [pool, paths, random] = built;
    const Path path = paths.paths()[0];
    paths.report_failure(path, PathFailure::timeout, std::nullopt, random, kNow);
    EXPECT_EQ(paths.path_strikes(path[0].ed25519, kNow), 1);
    EXPECT_EQ(paths.node_strikes(path[0].ed25519, kNow), 1);
    EXPECT_EQ(paths.node_strikes(path[1].ed25519, kNow), 0);
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    EXPECT_EQ(paths.node_strikes(path[0].ed25519, kNow), 2);
    EXPECT_EQ(paths.node_strikes(path[1].ed25519, kNow), 1);
    EXPECT_EQ(paths.node_strikes(path[2].ed25519, kNow), 1);
}

TEST(PathStrikes, LibsessionIgnoresTimeoutsAndStrikesEveryNodeOnceWhenThePathDrops) {
    BuiltPaths built("libsession");
    auto& [pool, paths, random] = built;
    const Path path = paths.paths()[0];
    paths.report_failure(path, PathFailure::timeout, std::nullopt, random, kNow);
    EXPECT_EQ(paths.path_strikes(path[0].ed25519, kNow), 0) << "a local timeout strikes nothing";
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    for (const auto& n : path)
        EXPECT_EQ(paths.node_strikes(n.ed25519, kNow), 0) << "the path alone, below 3";
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    for (const auto& n : path)
        EXPECT_EQ(paths.node_strikes(n.ed25519, kNow), 1) << "one each at the third";
}

TEST(PathStrikes, LibsessionStrikesSurviveARefreshAndExpireAfter48Hours) {
    NodePool pool(test_pool(40, 3));
    const NodePool fresh = pool;
    PathManager paths(untested("libsession"), pool);
    crypto::SeededRandom random(4, "strikes");
    ASSERT_TRUE(paths.build(random));
    const auto relay = paths.paths()[0][1].ed25519;
    for (int i = 0; i < 3; ++i)
        paths.report_failure(paths.paths()[0], PathFailure::node_unreachable, relay, random, kNow);
    EXPECT_FALSE(pool.contains(relay));
    pool = fresh;  // the node list refetched an hour later: the node is listed again
    paths.on_pool_refresh(kNow + kHourMs);
    EXPECT_FALSE(pool.contains(relay)) << "its strikes still count";
    EXPECT_EQ(paths.node_strikes(relay, kNow + 47 * kHourMs), 3);
    EXPECT_EQ(paths.node_strikes(relay, kNow + 48 * kHourMs), 0) << "STRIKE_EXPIRY";
    pool = fresh;
    paths.on_pool_refresh(kNow + 48 * kHourMs);
    EXPECT_TRUE(pool.contains(relay)) << "back once its strikes expired";
}

TEST(PathStrikes, DesktopClearsEveryStrikeAtARefresh) {
    BuiltPaths built("desktop");
    auto& [pool, paths, random] = built;
    const Path path = paths.paths()[0];
    paths.report_failure(path, PathFailure::bad_response, std::nullopt, random, kNow);
    paths.on_pool_refresh(kNow + 1);
    EXPECT_EQ(paths.path_strikes(path[0].ed25519, kNow + 1), 0);
    EXPECT_EQ(paths.node_strikes(path[1].ed25519, kNow + 1), 0);
}

TEST(SubnetDiversity, DesktopPathsShareNoSubnetAcrossPathsAndAndroidNeedNot) {
    for (const auto* name : {"desktop", "composite", "android"}) {
        std::size_t shared_across = 0, shared_within = 0;
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            NodePool pool(test_pool(60, seed, /*per_subnet=*/4));  // 15 /24s
            PathManager paths(untested(name), pool);
            crypto::SeededRandom random(seed, "diversity");
            ASSERT_TRUE(paths.build(random));
            std::set<std::uint32_t> all;
            std::size_t nodes = 0;
            for (const auto& p : paths.paths()) {
                std::set<std::uint32_t> within;
                for (const auto& n : p) {
                    within.insert(n.subnet24());
                    all.insert(n.subnet24());
                    ++nodes;
                }
                shared_within += within.size() < p.size();
            }
            shared_across += all.size() < nodes;
        }
        const std::string profile_name(name);
        if (profile_name == "desktop") {
            EXPECT_EQ(shared_across, 0u);
        } else if (profile_name == "composite") {
            EXPECT_EQ(shared_within, 0u);
            // Two paths of 3 over 15 /24s: P(no shared /24 across) = (9/12)(8/11)(7/10) ~ 0.38
            EXPECT_GT(shared_across, 50u);
        } else {
            // Android draws relays without a /24 rule: a path of 3 from 60 nodes in groups of 4
            // shares a /24 with probability 1 - (56/59)(52/58) ~ 0.15 (guard excluded).
            EXPECT_GT(shared_within, 10u);
        }
    }
}

TEST_F(ClientNetwork, ADesktopClientStoresASyncCopyInItsOwnSwarmAndReadsItAsOne) {
    make_clients(profile("desktop"));
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi bob", kNow);
    const auto done = drive(*alice_, events, kNow);
    ASSERT_EQ(done.size(), 1u) << "the sync copy's outcome is not a message event";
    EXPECT_EQ(std::get<MessageStored>(done[0]).message_id, id);
    EXPECT_EQ(alice_->counters().sync_stored, 1u);
    // Alice's own swarm now holds a copy: her next poll finds it and does not show it as new.
    const auto got = drive(*alice_, alice_->poll(kNow + 1000), kNow + 1000);
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(alice_->counters().sync_received, 1u);
    // Bob gets the message once.
    const auto at_bob = drive(*bob_, bob_->poll(kNow + 1000), kNow + 1000);
    ASSERT_EQ(at_bob.size(), 1u);
    EXPECT_EQ(std::get<MessageReceived>(at_bob[0]).message.text, "hi bob");
}

TEST_F(ClientNetwork, TheCompositeClientStoresNoSyncCopy) {
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi bob", kNow);
    drive(*alice_, events, kNow);
    EXPECT_EQ(alice_->counters().sync_stored, 0u);
    EXPECT_EQ(alice_->counters().requests, 2u) << "get_swarm and one store";
}

}  // namespace
}  // namespace sessionsim::client

namespace sessionsim::client {
namespace {

TEST_F(HandDriven, ADesktopRequestWaitsForItsGuardsGetSwarmTest) {
    make_clients(profile("desktop"));
    auto& alice = *alice_;
    auto [id, events] = alice.send_text(bob_->identity().session_id(), "hi", kNow);
    // Nothing goes through a guard before it answered a direct get_swarm for alice's account.
    EXPECT_TRUE(sends_in(events).empty());
    std::vector<SendDirect> tests;
    for (const auto& e : events) {
        if (const auto* d = std::get_if<SendDirect>(&e))
            tests.push_back(*d);
    }
    ASSERT_EQ(tests.size(), 2u) << "one test per path";
    for (const auto& t : tests) {
        EXPECT_FALSE(t.probe);
        EXPECT_EQ(t.timeout_ms, 10'000);
        const auto body = nlohmann::json::parse(t.body);
        EXPECT_EQ(body.at("method"), "get_swarm");
        EXPECT_EQ(body.at("params").at("pubkey"), alice.identity().session_id().to_hex())
            << "the guard learns the client's own Session ID";
    }
    // The first guard fails its test: it is skipped (not struck) and another is tried.
    auto after_fail = alice.on_reply(tests[0].request_id, std::nullopt, kNow + 10'000);
    EXPECT_TRUE(sends_in(after_fail).empty());
    ASSERT_EQ(after_fail.size(), 1u);
    const auto retest = std::get<SendDirect>(after_fail[0]);
    EXPECT_NE(retest.node.ed25519, tests[0].node.ed25519);
    EXPECT_EQ(alice.paths().node_strikes(tests[0].node.ed25519), 0);
    // The second guard passes: the waiting get_swarm for bob's swarm goes through its path.
    const auto reply = net_.direct_rpc(net_.index_of(tests[1].node.ed25519), tests[1].body, kNow);
    auto after_pass = alice.on_reply(tests[1].request_id, reply, kNow + 300);
    const auto sent = sends_in(after_pass);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].guard.ed25519, tests[1].node.ed25519);
    EXPECT_EQ(alice.counters().guard_tests, 3u);
    EXPECT_EQ(alice.counters().guard_tests_failed, 1u);
}

TEST_F(ClientNetwork, AndroidTestsNoGuard) {
    make_clients(profile("android"));
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi", kNow);
    EXPECT_TRUE(std::none_of(events.begin(), events.end(), [](const ClientEvent& e) {
        return std::holds_alternative<SendDirect>(e);
    }));
    EXPECT_EQ(sends_in(events).size(), 4u) << "the get_swarm, and 3 network-time checks";
    EXPECT_EQ(alice_->counters().guard_tests, 0u);
}

}  // namespace
}  // namespace sessionsim::client

namespace sessionsim::client {
namespace {

TEST_F(ClientNetwork, ALibsessionClientComputesSwarmsFromItsNodeListWithoutAsking) {
    NodePool listed(pool_);
    listed.set_swarms(net_.swarms());
    auto config = profile("libsession");
    crypto::SeededRandom random(3, "local swarm");
    Client alice(identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(
                     crypto::blake2b_256({as_bytes(std::string_view("alice"))}))),
                 config, listed, random);
    auto [id, events] = alice.send_text(bob_->identity().session_id(), "hi", kNow);
    const auto done = drive(alice, events, kNow);
    ASSERT_FALSE(done.empty());
    ASSERT_TRUE(std::holds_alternative<MessageStored>(done[0]));
    EXPECT_EQ(alice.counters().swarm_fetches, 0u) << "no get_swarm request";
    // The store went to a member of bob's swarm as the list names it.
    const auto& view = *net_.swarms();
    const auto& members = view.members(view.swarm_of(bob_->identity().session_id()));
    EXPECT_TRUE(std::any_of(members.begin(), members.end(), [&](const auto& m) {
        return m.ed25519 == std::get<MessageStored>(done[0]).acked_by;
    }));
}

TEST_F(ClientNetwork, ADesktopClientAsksForTheSwarm) {
    make_clients(profile("desktop"));
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi", kNow);
    drive(*alice_, events, kNow);
    EXPECT_EQ(alice_->counters().swarm_fetches, 2u) << "bob's, then her own for the sync copy";
}

}  // namespace
}  // namespace sessionsim::client

namespace sessionsim::client {
namespace {

constexpr std::int64_t kTwoMinutes = 120'000;

TEST_F(ClientNetwork, ADesktopClientTwoMinutesFastIsRefusedThenRecoversThroughTheNetworkOffset) {
    auto config = profile("desktop");
    config.clock_offset_ms = kTwoMinutes;
    make_clients(config);
    // The first message is stamped with the fast clock: the storage server refuses it (406),
    // desktop gives it up; the get_swarm answer before it taught the client the offset.
    auto [first, events] = alice_->send_text(bob_->identity().session_id(), "too early", kNow);
    const auto done = drive(*alice_, events, kNow);
    ASSERT_FALSE(done.empty());
    ASSERT_TRUE(std::holds_alternative<MessageFailed>(done[0]));
    EXPECT_EQ(std::get<MessageFailed>(done[0]).reason, "406 clock out of sync");
    EXPECT_EQ(alice_->counters().clock_refusals, 1u);
    EXPECT_NEAR(static_cast<double>(alice_->network_offset_ms()), kTwoMinutes, 1.0);
    EXPECT_NEAR(static_cast<double>(alice_->network_now(kNow + 5)), kNow + 5, 1.0);
    // The next message goes with the corrected time.
    auto [second, more] = alice_->send_text(bob_->identity().session_id(), "on time", kNow + 5);
    const auto later = drive(*alice_, more, kNow + 5);
    ASSERT_FALSE(later.empty());
    EXPECT_TRUE(std::holds_alternative<MessageStored>(later[0]));
}

TEST_F(ClientNetwork, AnAndroidClientTwoMinutesFastResynchronisesAfterA406AndResends) {
    auto config = profile("android");
    config.clock_offset_ms = kTwoMinutes;
    make_clients(config);
    // Its first request checks the time with 3 info requests before anything is signed ...
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi", kNow);
    const auto done = drive(*alice_, events, kNow);
    EXPECT_EQ(alice_->counters().time_checks, 2u) << "at the start, and after the 406";
    EXPECT_NEAR(static_cast<double>(alice_->network_offset_ms()), kTwoMinutes, 1.0);
    // ... but the message was stamped before the answers came: refused once, then resent
    // with the corrected time (Android retries after a resync).
    ASSERT_FALSE(done.empty());
    EXPECT_TRUE(std::holds_alternative<MessageStored>(done[0]));
    EXPECT_EQ(alice_->counters().clock_refusals, 1u);
}

TEST_F(ClientNetwork, APerfectClockIsNeverRefused) {
    make_clients(profile("desktop"));
    auto [id, events] = alice_->send_text(bob_->identity().session_id(), "hi", kNow);
    const auto done = drive(*alice_, events, kNow);
    ASSERT_FALSE(done.empty());
    EXPECT_TRUE(std::holds_alternative<MessageStored>(done[0]));
    EXPECT_EQ(alice_->counters().clock_refusals, 0u);
    EXPECT_EQ(alice_->network_offset_ms(), 0);
}

}  // namespace
}  // namespace sessionsim::client
