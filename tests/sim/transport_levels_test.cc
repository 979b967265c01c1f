// The two transport levels side by side: every test runs once over ns-3's TCP/IP (packet) and
// once over the modelled connections (message), with the same closed form or the same
// expectation, so that the message level keeps what the packet level does: the initial window,
// slow-start restart, in-order frames, resets, closes, idle expiry and serialization on the
// access links. Failures, retries and liveness: transport_failures_test.cc. The closed forms
// docs/validation.md lists (handshake round trips, 8d, 12d, the 10 MB slow start):
// transport_exact_validation_test.cc.
#include <gtest/gtest.h>

#include "tests/sim/both_levels.h"

namespace sessionsim::apps::levels_test {
namespace {

INSTANTIATE_TEST_SUITE_P(Levels, BothLevels, ::testing::Values(Level::packet, Level::message),
                         level_name);

TEST_P(BothLevels, AReplyBeyondTheInitialWindowWaitsARoundTripForTheFirstFlightsAcks) {
    // 6,000 bytes fit Linux's initial window (10 x 1448) but not ns-3's (10 x 536).
    for (const std::uint32_t segment : {536u, 1448u}) {
        TwoHosts net(GetParam(),
                     {.up_rate = "0bps", .down_rate = "0bps", .tcp_segment_bytes = segment});
        net.reply_with(6'000);
        Seen seen;
        std::shared_ptr<Connection> conn;
        at(1, [&] {
            conn = net.dial(0, seen.on_frame());
            conn->send(request(1, "poll"));
        });
        run_until(5);
        ASSERT_EQ(seen.replies.size(), 1u);
        const bool fits = 6'000 + 64 <= 10 * segment;
        EXPECT_NEAR(seen.replies[0] - 1, (fits ? 2 : 3) * 2 * kOneWay, 1e-6) << segment;
    }
}

TEST_P(BothLevels, AKeptConnectionIdleForLongerThanItsRtoRestartsSlowStartOnlyIfAskedTo) {
    // 20,000 bytes are 14 segments: beyond the initial window (10), within the window the first
    // reply grows. Linux's RTO here is the 20 ms round trip plus its 200 ms floor.
    const double rtt = 2 * kOneWay;
    for (const bool restart : {false, true}) {
        TwoHosts net(GetParam(),
                     {.up_rate = "0bps", .down_rate = "0bps", .tcp_slow_start_restart = restart});
        net.reply_with(20'000);
        Seen seen;
        ping_at(net, 1, seen);
        at(5, [&] { seen.conn->send(request(2, "after 4 s")); });
        at(5.15, [&] { seen.conn->send(request(3, "after 0.1 s")); });
        run_until(8);
        ASSERT_EQ(seen.replies.size(), 3u) << restart;
        // Cold: the SYN's round trip, the first window's, and one more for the rest.
        EXPECT_NEAR(seen.replies[0] - 1, 3 * rtt, 1e-6) << restart;
        // Idle 4 s: back to the initial window, so the rest waits a round trip, as on Linux;
        // ns-3's own TCP keeps the grown window and sends it all at once.
        EXPECT_NEAR(seen.replies[1] - 5, (restart ? 2 : 1) * rtt, 1e-6) << restart;
        // Idle about 0.13 s, less than the RTO: the window stays either way.
        EXPECT_NEAR(seen.replies[2] - 5.15, rtt, 1e-6) << restart;
    }
}

TEST_P(BothLevels, FramesArriveIntactAndInOrder) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    std::string big(300'000, 'x');
    for (std::size_t i = 0; i < big.size(); i += 97)
        big[i] = static_cast<char>('a' + i % 26);
    std::shared_ptr<Connection> conn;
    at(1, [&] {
        conn = net.dial(1, seen.on_frame());
        conn->send(request(1, big));
        for (int i = 2; i <= 20; ++i)
            conn->send(request(static_cast<std::uint64_t>(i), std::to_string(i)));
    });
    run_until(30);
    ASSERT_EQ(seen.bodies.size(), 20u);
    EXPECT_EQ(seen.bodies[0], big);
    for (int i = 2; i <= 20; ++i)
        EXPECT_EQ(seen.bodies[static_cast<std::size_t>(i - 1)], std::to_string(i));
}

TEST_P(BothLevels, GarbageClosesTheStream) {
    TwoHosts net(GetParam());
    bool server_closed = false;
    net.serve([](Connection&, Frame) { ADD_FAILURE() << "no frame expected"; },
              [&](Connection&) { server_closed = true; });
    std::shared_ptr<Connection> conn;
    at(1, [&] {
        conn = net.dial(0, {});
        conn->send(std::string("\xff\xff\xff\x7f garbage", 12));
    });
    run_until(5);
    EXPECT_TRUE(server_closed);
}

TEST_P(BothLevels, AbortResetsAtOnceAndThePeerLearnsOfItOneWayLater) {
    TwoHosts net(GetParam());
    double server_closed_at = -1;
    Connection::CloseCause server_cause = Connection::CloseCause::open;
    net.serve({}, [&](Connection& c) {
        server_closed_at = ns3::Simulator::Now().GetSeconds();
        server_cause = c.close_cause();
    });
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(0, {}, seen.on_close()); });
    at(2, [&] { conn->abort(); });
    run_until(3);
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_here);
    EXPECT_NEAR(seen.closed_at, 2, 1e-9);
    EXPECT_EQ(server_cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(server_closed_at, 2 + kOneWay, 1e-6);
}

TEST_P(BothLevels, ACloseReachesThePeerBehindTheDataSentBeforeIt) {
    TwoHosts net(GetParam());
    std::vector<std::string> got;
    double server_closed_at = -1;
    Connection::CloseCause server_cause = Connection::CloseCause::open;
    net.serve([&](Connection&, Frame f) { got.push_back(f.payload); },
              [&](Connection& c) {
                  server_closed_at = ns3::Simulator::Now().GetSeconds();
                  server_cause = c.close_cause();
              });
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(1, {}, seen.on_close()); });
    at(2, [&] {
        conn->send(request(1, "last words"));
        conn->close();
    });
    run_until(10);
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_here);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "last words");
    EXPECT_EQ(server_cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(server_closed_at, 2 + kOneWay, 1e-6);
}

TEST_P(BothLevels, TheUplinkSerializesAFrameAtItsRate) {
    // 1 Mbit/s up, nothing else in the way: a 100,000-byte request leaves in its segments'
    // wire bytes / rate (plus the windows' waits, which the closed form below leaves out, so
    // both levels are held to the same bound instead).
    TwoHosts net(GetParam(), {.up_rate = "1Mbps", .down_rate = "0bps"});
    std::optional<double> served;
    net.serve([&](Connection&, Frame) { served = ns3::Simulator::Now().GetSeconds(); });
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(0, {}); });
    at(2, [&] { conn->send(request(1, std::string(100'000, 'u'))); });
    run_until(30);
    ASSERT_TRUE(served.has_value());
    const double segments = std::ceil((100'000 + 13) / 1448.0);
    const double wire_s = (100'000 + 13 + segments * kSegmentHeaderBytes) * 8 / 1e6;
    EXPECT_GE(*served - 2, wire_s + kOneWay - 1e-6);
    EXPECT_LE(*served - 2, wire_s + kOneWay + 4 * 2 * kOneWay);
}

// QUIC-style liveness (libsession's guard connections): keep-alive pings, a peer that stops
// acknowledging, a connection that never opens.
TEST_P(BothLevels, AnIdleConnectionClosesAfterItsKeepAliveAndThePeerLearnsOfIt) {
    TwoHosts net(GetParam());
    double server_closed_at = -1;
    net.serve([](Connection& c, Frame f) { c.send(encode_reply(f.request_id, 200, f.payload)); },
              [&](Connection&) { server_closed_at = ns3::Simulator::Now().GetSeconds(); });
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] {
        conn = net.dial(0, seen.on_frame(), seen.on_close());
        conn->close_when_idle(ns3::Seconds(30));
        conn->send(request(1, "ping"));
    });
    at(20, [&] { conn->send(request(2, "again")); });
    run_until(200);
    EXPECT_NEAR(seen.closed_at, 20 + 2 * kOneWay + 30, 1e-6);
    EXPECT_NEAR(server_closed_at, seen.closed_at + kOneWay, 1e-6);
}

}  // namespace
}  // namespace sessionsim::apps::levels_test
