// The two transport levels side by side: every test runs once over ns-3's TCP/IP (packet) and
// once over the modelled connections (message), with the same closed form or the same
// expectation, so that the message level keeps what the packet level does: handshake round
// trips, the initial window, in-order frames, resets, closes, ns-3's SYN and data retries,
// QUIC-style liveness, and serialization on the access links.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include <ns3/core-module.h>

#include "sim/apps/message_transport.h"
#include "sim/apps/tcp_transport.h"
#include "sim/net/wan_helper.h"

namespace sessionsim::apps {
namespace {

enum class Level { packet, message };

std::string level_name(const ::testing::TestParamInfo<Level>& info) {
    return info.param == Level::packet ? "Packet" : "Message";
}

constexpr double kOneWay = 0.010;
constexpr std::uint16_t kPort = 443;

/// Two hosts 10 ms apart (one way) on the chosen level; host 1 serves kPort.
struct TwoHosts {
    net::Wan wan;
    std::shared_ptr<MessageNetwork> network;  // message level only
    std::unique_ptr<Listener> listener;
    std::vector<std::shared_ptr<Connection>> accepted;

    explicit TwoHosts(Level level,
                      net::WanLinkOptions links = {.up_rate = "0bps", .down_rate = "0bps"},
                      double one_way = kOneWay)
        : wan(net::build_wan(
              {{{"DE"}, 0x0a000101, "test"}, {{"US"}, 0x0a000201, "test"}},
              net::UniformLatency(one_way * 1000), links,
              level == Level::packet ? net::HostStack::internet : net::HostStack::none)) {
        if (level == Level::message)
            network = install_message_transport(wan);
    }
    Transport& transport(std::uint32_t host) { return transport_of(wan.nodes.Get(host)); }

    /// Host 1 serves with these handlers (echo() answers each frame with its payload).
    void serve(Connection::FrameHandler on_frame, Connection::CloseHandler on_close = {}) {
        listener = transport(1).listen(
            wan.nodes.Get(1), kPort, std::move(on_frame), std::move(on_close),
            [this](std::shared_ptr<Connection> c) { accepted.push_back(std::move(c)); });
    }
    /// Host 1 answers each request with `bytes` bytes.
    void reply_with(std::size_t bytes) {
        serve([bytes](Connection& c, Frame f) {
            c.send(encode_reply(f.request_id, 200, std::string(bytes, 'r')));
        });
    }
    void echo() {
        serve([](Connection& c, Frame f) { c.send(encode_reply(f.request_id, 200, f.payload)); });
    }
    std::shared_ptr<Connection> dial(int handshakes, Connection::FrameHandler on_frame,
                                     Connection::CloseHandler on_close = {},
                                     std::uint16_t port = kPort) {
        return transport(0).connect(wan.nodes.Get(0), wan.addresses[1], port, handshakes,
                                    std::move(on_frame), std::move(on_close));
    }
    void host_up(std::uint32_t host, bool up) { wan.devices[host]->SetHostUp(up); }
};

void run_until(double t) {
    ns3::Simulator::Stop(ns3::Seconds(t));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
}

void at(double t, std::function<void()> what) {
    ns3::Simulator::Schedule(ns3::Seconds(t), std::move(what));
}

/// What a dialled connection saw.
struct Seen {
    std::shared_ptr<Connection> conn;
    std::vector<double> replies;
    std::vector<std::string> bodies;
    double closed_at = -1;
    Connection::CloseCause cause = Connection::CloseCause::open;

    Connection::FrameHandler on_frame() {
        return [this](Connection&, Frame f) {
            replies.push_back(ns3::Simulator::Now().GetSeconds());
            if (auto reply = decode_reply(f.payload))
                bodies.push_back(reply->second);
        };
    }
    Connection::CloseHandler on_close() {
        return [this](Connection& c) {
            closed_at = ns3::Simulator::Now().GetSeconds();
            cause = c.close_cause();
        };
    }
};

std::string request(std::uint64_t id, std::string body) {
    return encode_frame({FrameKind::onion_request, id, std::move(body)});
}

/// At `t`, host 0 dials host 1 (no handshake round trips, watching `liveness` if given) and
/// sends a "ping" request; what the connection sees goes to `seen`.
void ping_at(TwoHosts& net, double t, Seen& seen, const Connection::Liveness* liveness = nullptr) {
    at(t, [&net, &seen, liveness] {
        seen.conn = net.dial(0, seen.on_frame(), seen.on_close());
        if (liveness)
            seen.conn->watch_liveness(*liveness);
        seen.conn->send(request(1, "ping"));
    });
}

class BothLevels : public ::testing::TestWithParam<Level> {};
INSTANTIATE_TEST_SUITE_P(Levels, BothLevels, ::testing::Values(Level::packet, Level::message),
                         level_name);

TEST_P(BothLevels, AColdRequestPaysTcpAndEachHandshakeRoundTripAndAWarmOnePaysOne) {
    for (const int tls : {0, 1, 2}) {
        TwoHosts net(GetParam());
        net.echo();
        Seen seen;
        std::shared_ptr<Connection> conn;
        at(1, [&] {
            conn = net.dial(tls, seen.on_frame());
            conn->send(request(1, "ping"));
        });
        at(5, [&] { conn->send(request(2, "again")); });
        run_until(10);
        ASSERT_EQ(seen.replies.size(), 2u) << tls;
        const double rtt = 2 * kOneWay;
        EXPECT_NEAR(seen.replies[0] - 1, (1 + tls + 1) * rtt, 1e-6) << tls << " handshakes";
        EXPECT_NEAR(seen.replies[1] - 5, rtt, 1e-6);
    }
}

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
    // DataRetries (6) retransmissions from a 1 s timeout (MinRto), doubled after each up to
    // 60 s, then a last timeout: 1 + 2 + 4 + 8 + 16 + 32 + 60 s after the send.
    EXPECT_NEAR(seen.closed_at, 6 + 123, 0.05);
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
    // ns-3 3.37 sends no reset for a segment of a connection it no longer has: as for a host
    // that stays down, the sender gives up after its retransmissions.
    EXPECT_EQ(seen.cause, Connection::CloseCause::closed_by_peer);
    EXPECT_NEAR(seen.closed_at, 7 + 123, 0.05);
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

TEST_P(BothLevels, ATenMegabyteUploadOverTwentyMegabitsTakesTheSlowStartClosedForm) {
    // A file-server upload from a phone: 20 Mbit/s up, 10 ms one way, on a connection already
    // open. The window doubles each round trip from 10 segments until it covers the path's
    // bandwidth-delay product; from then on the uplink is the limit (its rate less the 52
    // header bytes of each 1448-byte segment); the last byte takes one way to arrive.
    constexpr double kD = 0.010;
    TwoHosts net(GetParam(), {.up_rate = "20Mbps", .down_rate = "0bps"}, kD);
    std::optional<double> served;
    net.serve([&](Connection&, Frame) { served = ns3::Simulator::Now().GetSeconds(); });
    std::shared_ptr<Connection> conn;
    at(1, [&] { conn = net.dial(0, {}); });
    at(2, [&] { conn->send(request(1, std::string(10'000'000, 'a'))); });
    run_until(60);
    ASSERT_TRUE(served.has_value());
    const double mss = 1448, rate = 20e6 / 8, rtt = 2 * kD, total = 10'000'000 + 13;
    const double goodput = rate * mss / (mss + kSegmentHeaderBytes);
    double window = 10 * mss, sent = 0, expected = 0;
    while (window < rate * rtt && sent + window < total) {
        sent += window;
        window *= 2;
        expected += rtt;
    }
    expected += (total - sent) / goodput + kD;
    EXPECT_NEAR(*served - 2, expected, rtt) << "closed form " << expected << " s";
}

// QUIC-style liveness (libsession's guard connections): keep-alive pings, a peer that stops
// acknowledging, a connection that never opens.
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
}  // namespace sessionsim::apps
