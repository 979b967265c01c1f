// The two transport levels when things fail, side by side (both_levels.h): ns-3's SYN and data
// retries, outages and the retransmission timeout its RTT estimate sets, hosts that crashed and
// came back, and the QUIC-style liveness rules. Each test runs once per level.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/sim/both_levels.h"

namespace sessionsim::apps::levels_test {
namespace {

TEST_P(BothLevels, DiallingAPortNobodyListensOnRunsOutOfSynRetries) {
    // ns-3 3.37 answers such a SYN with nothing (Linux would reset it).
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(1, seen.on_frame(), seen.on_close(), 8080); });
    run_until(1000);
    EXPECT_EQ(seen.cause, Connection::CloseCause::handshake_failed);
    EXPECT_NEAR(seen.closed_at, 1 + 3 * 63, 1e-6);  // as for a host that is down (below)
}

TEST_P(BothLevels, DiallingAHostThatIsDownFailsAfterNs3sSynRetries) {
    TwoHosts net(GetParam());
    net.echo();
    net.host_up(1, false);
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(1, seen.on_frame(), seen.on_close()); });
    run_until(1000);
    EXPECT_EQ(seen.cause, Connection::CloseCause::handshake_failed);
    // ns-3: ConnCount (6) SYNs, ConnTimeout (3 s) doubled after each: 3 + 6 + ... + 96 s.
    EXPECT_NEAR(seen.closed_at, 1 + 3 * 63, 1e-6);
}

TEST_P(BothLevels, ARequestToAHostThatDiedFailsAfterNs3sDataRetries) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    ping_at(net, 1, seen);
    at(5, [&] { net.host_up(1, false); });
    at(6, [&] { seen.conn->send(request(2, "again")); });
    run_until(2000);
    EXPECT_EQ(seen.replies.size(), 1u);
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(seen.closed_at, 6 + give_up_after_data_retries_s(), 0.05);
}

TEST_P(BothLevels, ARequestSentDuringAShortOutageArrivesAfterARetransmission) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    ping_at(net, 1, seen);
    at(5, [&] { net.host_up(1, false); });
    at(6, [&] { seen.conn->send(request(2, "during")); });
    at(6.5, [&] { net.host_up(1, true); });
    run_until(20);
    ASSERT_EQ(seen.bodies.size(), 2u);
    EXPECT_EQ(seen.bodies[1], "during");
    EXPECT_EQ(seen.closed_at, -1);
    // Resent one retransmission timeout (1 s) after it was first sent, then one round trip.
    EXPECT_NEAR(seen.replies[1], 6 + 1 + 2 * kOneWay, 0.05);
}

TEST_P(BothLevels, AnAcknowledgementCarriedByAReplyMakesTheNextRttSampleAndTheTimeoutLong) {
    // ns-3 acknowledges the first request with a bare ACK at once; the next ones get their
    // acknowledgement on the answer (sent at once, or 100 ms later as a relay waiting for the
    // rest of its path would, within the 200 ms delayed ACK). ns-3 takes a new timestamp to
    // echo only from a segment that arrives when a bare ACK has acknowledged all before it, so
    // the answer to request 3 still echoes request 2's: the client measures an RTT of 2 s, and
    // the retransmission timeout its RTT estimate sets grows with it.
    const double rtt = 2 * kOneWay;
    for (const double think : {0.0, 0.1}) {
        TwoHosts net(GetParam());
        net.serve([think](Connection& c, Frame f) {
            ns3::Simulator::Schedule(ns3::Seconds(think), [&c, f] {
                c.send(encode_reply(f.request_id, 200, f.payload));
            });
        });
        Seen seen;
        ping_at(net, 1, seen);  // SYN at 1, request 1 at 1 + 2d
        at(3, [&] { seen.conn->send(request(2, "second")); });
        at(5, [&] { seen.conn->send(request(3, "third")); });
        at(9, [&] { net.host_up(1, false); });
        at(10, [&] { seen.conn->send(request(4, "during")); });
        at(12, [&] { net.host_up(1, true); });
        run_until(40);
        ASSERT_EQ(seen.bodies.size(), 4u) << think;
        EXPECT_EQ(seen.bodies[3], "during");
        // RFC 6298 over the client's samples: the SYN's round trip, request 1's (the bare ACK),
        // request 2's (the answer) and request 3's, measured from request 2's send.
        double srtt = rtt, deviation = rtt / 2;
        for (const double sample : {rtt, rtt + think, 5 + rtt + think - 3}) {
            deviation += (std::fabs(sample - srtt) - deviation) / 4;
            srtt += (sample - srtt) / 8;
        }
        const double rto = std::max(1.0, srtt + 4 * deviation);
        ASSERT_GT(rto, 2.0) << think;  // a 1 s timeout would have resent at 11 and at 13
        EXPECT_NEAR(seen.replies[3], 10 + rto + rtt + think, 0.002) << think;
    }
}

TEST_P(BothLevels, AHostThatCrashedAndCameBackNeverAnswersAndTheConnectionRunsOutOfRetries) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    ping_at(net, 1, seen);
    at(5, [&] {  // the server crashes: its connections vanish without a word
        net.host_up(1, false);
        for (auto& c : net.accepted)
            c->abort();
        net.accepted.clear();
    });
    at(6, [&] { net.host_up(1, true); });
    at(7, [&] { seen.conn->send(request(2, "anyone?")); });
    run_until(1000);
    EXPECT_EQ(seen.replies.size(), 1u);
    // The segment goes to the port the server listens on; its listening socket takes it and
    // ignores it (no reset): as for a host that stays down, the sender gives up after its
    // retransmissions.
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(seen.closed_at, 7 + give_up_after_data_retries_s(), 0.05);
}

TEST_P(BothLevels, ADiallerThatCrashedAndCameBackResetsWhatItsPeerStillSends) {
    // The server answers 3 s after the request; meanwhile the client's host crashes and comes
    // back. Its dialled socket is gone and nothing listens on its port, so ns-3's TCP answers
    // the server's reply with a reset: the server's connection closes one round trip after it
    // sent, not after its retransmissions (123 s) as when the listener's side crashed.
    constexpr double answer_after = 3;
    TwoHosts net(GetParam());
    double server_closed_at = -1;
    auto cause = Connection::CloseCause::open;
    net.serve(
        [](Connection& c, Frame f) {
            ns3::Simulator::Schedule(ns3::Seconds(answer_after), [&c, f] {
                c.send(encode_reply(f.request_id, 200, f.payload));
            });
        },
        [&](Connection& c) {
            server_closed_at = ns3::Simulator::Now().GetSeconds();
            cause = c.close_cause();
        });
    Seen seen;
    ping_at(net, 1, seen);  // SYN at 1, the request at 1 + 2d, at the server one way later
    at(2, [&] {
        net.host_up(0, false);
        seen.conn->abort();
    });
    at(2.5, [&] { net.host_up(0, true); });
    run_until(200);
    EXPECT_TRUE(seen.replies.empty());
    EXPECT_EQ(cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(server_closed_at, 1 + 3 * kOneWay + answer_after + 2 * kOneWay, 0.002);
}

const Connection::Liveness kQuic{ns3::Seconds(10), ns3::Seconds(30), ns3::Seconds(3)};

TEST_P(BothLevels, LivenessARequestToAPeerThatDiedFailsOneTimeoutAfterItWasSent) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    ping_at(net, 1, seen, &kQuic);
    at(5, [&] { net.host_up(1, false); });
    at(6, [&] { seen.conn->send(request(2, "again")); });
    run_until(100);
    EXPECT_EQ(seen.replies.size(), 1u);
    EXPECT_EQ(seen.cause, Connection::CloseCause::peer_silent);
    EXPECT_NEAR(seen.closed_at, 6 + 30, 1e-6);
}

TEST_P(BothLevels, LivenessAnIdleConnectionToAPeerThatDiedIsFoundByItsKeepAlive) {
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    ping_at(net, 1, seen, &kQuic);
    at(5, [&] { net.host_up(1, false); });
    run_until(100);
    EXPECT_EQ(seen.cause, Connection::CloseCause::peer_silent);
    EXPECT_NEAR(seen.closed_at, 1 + 4 * kOneWay + 10 + 30, 1e-6);
}

TEST_P(BothLevels, LivenessALiveIdleConnectionStaysOpenAndPingsOnlyCostHeaders) {
    TwoHosts net(GetParam());
    int served = 0;
    net.serve([&](Connection& c, Frame f) {
        ++served;
        c.send(encode_reply(f.request_id, 200, f.payload));
    });
    Seen seen;
    std::uint64_t after_request = 0, at_end = 0;
    ping_at(net, 1, seen, &kQuic);
    at(2, [&] { after_request = seen.conn->bytes_sent(); });
    at(299, [&] { at_end = seen.conn->bytes_sent(); });
    run_until(300);
    EXPECT_EQ(seen.closed_at, -1);
    EXPECT_EQ(served, 1);
    EXPECT_EQ(at_end - after_request, 29u * encode_frame({FrameKind::keep_alive, 0, {}}).size());
}

TEST_P(BothLevels, LivenessASlowAnswerIsNotASilentPeerBecauseTheRequestWasAcknowledged) {
    TwoHosts net(GetParam());
    net.serve([](Connection& c, Frame f) {
        auto conn = c.shared_from_this();
        ns3::Simulator::Schedule(ns3::Seconds(45), [conn, f] {
            conn->send(encode_reply(f.request_id, 200, f.payload));
        });
    });
    Seen seen;
    ping_at(net, 1, seen, &kQuic);
    run_until(100);
    EXPECT_EQ(seen.replies.size(), 1u);
    EXPECT_EQ(seen.closed_at, -1) << "given up at " << seen.closed_at;
}

TEST_P(BothLevels, LivenessAConnectionThatCannotOpenFailsAtTheHandshakeTimeout) {
    TwoHosts net(GetParam());
    net.echo();
    net.host_up(1, false);
    Seen seen;
    std::shared_ptr<Connection> conn;
    at(1, [&] {
        conn = net.dial(0, seen.on_frame(), seen.on_close());
        conn->watch_liveness(kQuic);
    });
    run_until(100);
    EXPECT_EQ(seen.cause, Connection::CloseCause::handshake_failed);
    EXPECT_NEAR(seen.closed_at, 1 + 3, 1e-6);
}

TEST_P(BothLevels, KeepAlivesHeldBackByTheWindowStillComeOneKeepAliveApart) {
    // A peer that goes down while 300 KB are on their way: retransmission timeouts shrink the
    // window, so a keep-alive ping may not leave at once. It counts as activity all the same:
    // the next is due one keep-alive later (once, a check that found the ping held back wrote
    // another at the same instant, for ever).
    TwoHosts net(GetParam());
    net.echo();
    Seen seen;
    const Connection::Liveness liveness{
        .keep_alive = ns3::Seconds(1), .timeout = ns3::Seconds(60), .handshake_timeout = {}};
    ping_at(net, 1, seen, &liveness);
    at(2, [&] {
        net.host_up(1, false);
        seen.conn->send(request(2, std::string(300'000, 'x')));
    });
    run_until(40);
    // What the stream accepted: the two requests (the packet level's send buffer takes only
    // 128 KiB of the second) and at most one ping a second over the 38 s the peer was down.
    const std::uint64_t keep_alive_bytes = encode_frame({FrameKind::keep_alive, 0, {}}).size();
    const std::uint64_t requests =
        request(1, "ping").size() + request(2, std::string(300'000, 'x')).size();
    EXPECT_GT(seen.conn->bytes_sent(), request(1, "ping").size());
    EXPECT_LE(seen.conn->bytes_sent(), requests + 40 * keep_alive_bytes);
}

TEST(PacketLevel, AHandshakeCompletingAfterItsListenerWentAwayIsReset) {
    // ns-3 answers a SYN with a socket forked from the listening one, which copies its accept
    // callback and calls it when the handshake's last ACK arrives. Here the listener goes away
    // between the two (its host's service stopped), as a crashing node's did in a 10,000-client
    // provider outage: the forked socket must not call into the listener it came from, and the
    // dialler learns at once that nobody took the connection.
    TwoHosts net(Level::packet);
    net.echo();
    Seen seen;
    ping_at(net, 1, seen);  // SYN at the server at 1 + d, its last ACK and the ping at 1 + 3d
    at(1 + 2 * kOneWay, [&] { net.listener.reset(); });
    run_until(200);
    EXPECT_TRUE(net.accepted.empty());
    EXPECT_TRUE(seen.replies.empty());
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(seen.closed_at, 1 + 4 * kOneWay, 0.002);  // the reset, one way after the ACK
}

}  // namespace
}  // namespace sessionsim::apps::levels_test
