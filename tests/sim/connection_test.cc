// What only the packet level has: ns-3's sockets letting go of closing connections (the orphan
// timeout, CLOSE_WAIT), its zero-window probe, the transport seam's lookup, and the frame
// reader. What both levels do alike is in transport_levels_test.cc.
#include <gtest/gtest.h>

#include <optional>

#include <ns3/core-module.h>
#include <ns3/internet-module.h>

#include "sim/apps/abortable_tcp_socket.h"
#include "sim/apps/tcp_transport.h"
#include "sim/net/wan_helper.h"

namespace sessionsim::apps {
namespace {

constexpr double kOneWay = 0.010;

struct Echo {
    net::Wan wan;
    ns3::Ptr<ns3::Socket> listener;
    std::vector<std::shared_ptr<Connection>> accepted;

    /// Serves accepted connections with these handlers (the constructor's echo them).
    void serve_with(Connection::FrameHandler on_frame, Connection::CloseHandler on_close) {
        listener->SetAcceptCallback(
            ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
            ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
                [this, on_frame, on_close](ns3::Ptr<ns3::Socket> s, const ns3::Address&) {
                    accepted.push_back(TcpConnection::accept(s, on_frame, on_close));
                }));
    }

    Echo()
        : wan(net::build_wan({{{"DE"}, 0x0a000101, "test"}, {{"US"}, 0x0a000201, "test"}},
                             net::UniformLatency(kOneWay * 1000),
                             {.up_rate = "0bps", .down_rate = "0bps"})) {
        listener = ns3::Socket::CreateSocket(wan.nodes.Get(1), ns3::TcpSocketFactory::GetTypeId());
        listener->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 443));
        listener->Listen();
        serve_with(
            [](Connection& c, Frame f) { c.send(encode_reply(f.request_id, 200, f.payload)); }, {});
    }
};

TEST(Connection, ACloseTowardsADeadHostIsAbandonedAfterTheOrphanTimeout) {
    // ns-3 alone would retransmit the unanswered FIN every second until the run ends.
    Echo echo;
    std::shared_ptr<Connection> conn;
    int replies = 0;
    ns3::Simulator::Schedule(ns3::Seconds(1), [&] {
        conn = TcpConnection::open(echo.wan.nodes.Get(0), echo.wan.addresses[1], 443, 0,
                                   [&](Connection&, Frame) { ++replies; }, {});
        conn->send(encode_frame({FrameKind::onion_request, 1, "ping"}));
    });
    ns3::Simulator::Schedule(ns3::Seconds(2), [&] {
        echo.wan.devices[1]->SetHostUp(false);  // the peer dies, then we hang up
        conn->close();
    });
    std::uint64_t events_after_timeout = 0;
    ns3::Simulator::Schedule(ns3::Seconds(2 + kOrphanTimeoutS + 1),
                             [&] { events_after_timeout = ns3::Simulator::GetEventCount(); });
    ns3::Simulator::Stop(ns3::Seconds(2000));
    ns3::Simulator::Run();
    const auto events_at_end = ns3::Simulator::GetEventCount();
    ns3::Simulator::Destroy();
    EXPECT_EQ(replies, 1);
    EXPECT_GT(events_after_timeout, 0u);
    EXPECT_LE(events_at_end - events_after_timeout, 2u) << "the closing socket kept retransmitting";
}

TEST(Connection, AnIdleConnectionClosesAfterItsKeepAliveAndBothEndsLetGo) {
    // OxenMQ closes a connection its owner opened once unused for the keep-alive (30 s), counting
    // traffic either way; the peer then closes its half at once, so neither end lingers.
    Echo echo;
    auto listener = AbortableTcpSocket::CreateOn(echo.wan.nodes.Get(1));
    listener->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 444));
    listener->Listen();
    std::vector<std::shared_ptr<Connection>> accepted;
    std::vector<std::pair<double, ns3::TcpSocket::TcpStates_t>> server_states;
    listener->SetAcceptCallback(
        ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
        ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>([&](ns3::Ptr<ns3::Socket> s,
                                                                            const ns3::Address&) {
            s->TraceConnectWithoutContext(
                "State",
                ns3::Callback<void, ns3::TcpSocket::TcpStates_t, ns3::TcpSocket::TcpStates_t>(
                    [&](ns3::TcpSocket::TcpStates_t, ns3::TcpSocket::TcpStates_t to) {
                        server_states.emplace_back(ns3::Simulator::Now().GetSeconds(), to);
                    }));
            accepted.push_back(TcpConnection::accept(
                s,
                [](Connection& c, Frame f) { c.send(encode_reply(f.request_id, 200, f.payload)); },
                {}));
        }));
    std::shared_ptr<Connection> conn;
    double closed_at = -1;
    ns3::Simulator::Schedule(ns3::Seconds(1), [&] {
        conn = TcpConnection::open(
            echo.wan.nodes.Get(0), echo.wan.addresses[1], 444, 0, {},
            [&](Connection&) { closed_at = ns3::Simulator::Now().GetSeconds(); });
        conn->close_when_idle(ns3::Seconds(30));
        conn->send(encode_frame({FrameKind::onion_request, 1, "ping"}));
    });
    // Used again at 20 s: the reply arrives one round trip later and restarts the clock.
    ns3::Simulator::Schedule(ns3::Seconds(20), [&] {
        EXPECT_FALSE(conn->closed());
        conn->send(encode_frame({FrameKind::onion_request, 2, "again"}));
    });
    ns3::Simulator::Stop(ns3::Seconds(200));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_NEAR(closed_at, 20 + 2 * kOneWay + 30, 1e-6);
    ASSERT_FALSE(server_states.empty());
    EXPECT_EQ(server_states.back().second, ns3::TcpSocket::CLOSED);
    // The FIN reaches the peer one way later; its own FIN and the last ACK take one round trip.
    EXPECT_NEAR(server_states.back().first, closed_at + 3 * kOneWay, 1e-3)
        << "the peer's socket sat in CLOSE_WAIT";
}

/// Exposes the persist timer's handler, which ns-3 calls when a zero-window probe is due.
class ProbingSocket : public AbortableTcpSocket {
public:
    using AbortableTcpSocket::PersistTimeout;
};

TEST(Connection, AZeroWindowProbeWithNothingUnsentDoesNothing) {
    // Found by the soak run: ns-3 3.37's probe read a byte past the end of an empty send buffer
    // and crashed. With nothing unsent there is nothing to probe with.
    auto socket = ns3::CreateObject<ProbingSocket>();
    EXPECT_NO_FATAL_FAILURE(socket->PersistTimeout());
}

/// A transport that counts what the apps ask of it and hands the work to TCP: stands in for
/// a second implementation behind the seam.
class CountingTransport final : public Transport {
public:
    std::shared_ptr<Connection> connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                        std::uint16_t port, int handshakes,
                                        Connection::FrameHandler on_frame,
                                        Connection::CloseHandler on_close) override {
        ++connects;
        return tcp->connect(node, to, port, handshakes, std::move(on_frame), std::move(on_close));
    }
    std::unique_ptr<Listener> listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                     Connection::FrameHandler on_frame,
                                     Connection::CloseHandler on_close,
                                     AcceptHandler on_accept) override {
        ++listens;
        return tcp->listen(node, port, std::move(on_frame), std::move(on_close),
                           std::move(on_accept));
    }
    int connects = 0, listens = 0;
    ns3::Ptr<TcpTransport> tcp = ns3::CreateObject<TcpTransport>();
};

TEST(Transport, AppsFindTheTransportAggregatedToTheirNodeAndTcpOtherwise) {
    Echo echo;
    auto counting = ns3::CreateObject<CountingTransport>();
    echo.wan.nodes.Get(0)->AggregateObject(counting);
    EXPECT_EQ(&transport_of(echo.wan.nodes.Get(0)), counting.operator->());
    EXPECT_NE(dynamic_cast<TcpTransport*>(&transport_of(echo.wan.nodes.Get(1))), nullptr);

    // A listener and a connection made through the seam carry frames both ways.
    std::vector<std::shared_ptr<Connection>> accepted;
    auto listener = transport_of(echo.wan.nodes.Get(0))
                        .listen(
                            echo.wan.nodes.Get(0), 444,
                            [](Connection& c, Frame f) {
                                c.send(encode_reply(f.request_id, 201, f.payload + "!"));
                            },
                            {}, [&](std::shared_ptr<Connection> c) { accepted.push_back(c); });
    std::string answer;
    std::shared_ptr<Connection> conn;
    ns3::Simulator::Schedule(ns3::Seconds(1), [&] {
        conn = transport_of(echo.wan.nodes.Get(1))
                   .connect(echo.wan.nodes.Get(1), echo.wan.addresses[0], 444, 1,
                            [&](Connection&, Frame f) { answer = decode_reply(f.payload)->second; },
                            {});
        conn->send(encode_frame({FrameKind::peer_onion, 7, "ping"}));
    });
    ns3::Simulator::Stop(ns3::Seconds(5));
    ns3::Simulator::Run();
    EXPECT_EQ(answer, "ping!");
    EXPECT_EQ(accepted.size(), 1u);
    EXPECT_EQ(counting->listens, 1);
    EXPECT_EQ(counting->connects, 0);  // node 1 has no transport aggregated: plain TCP
    listener.reset();
    ns3::Simulator::Destroy();
}

TEST(Frame, ReaderSplitsAndRejects) {
    FrameReader r;
    const std::string a = encode_frame({FrameKind::peer_onion, 42, "abc"});
    const std::string b = encode_reply(42, 504, "Request time out");
    const std::string both = a + b;
    for (std::size_t i = 0; i < both.size(); ++i)
        r.feed(reinterpret_cast<const std::uint8_t*>(&both[i]), 1);
    auto f1 = r.next();
    ASSERT_TRUE(f1);
    EXPECT_EQ(f1->kind, FrameKind::peer_onion);
    EXPECT_EQ(f1->request_id, 42u);
    EXPECT_EQ(f1->payload, "abc");
    auto f2 = r.next();
    ASSERT_TRUE(f2);
    EXPECT_EQ(decode_reply(f2->payload), std::make_pair(504, std::string("Request time out")));
    EXPECT_FALSE(r.next());
    FrameReader bad;
    const std::string junk =
        encode_frame({FrameKind::reply, 1, "x"})
            .replace(4, 1, std::string(1, static_cast<char>(kLastFrameKind + 1)));
    bad.feed(reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size());
    EXPECT_FALSE(bad.next());
    EXPECT_TRUE(bad.broken());
}

TEST(Frame, ReaderGivesBackTheMemoryOfAFrameOnceItIsHandedOn) {
    // A connection that carried a 1 MB attachment must not hold 1 MB while it idles.
    FrameReader r;
    const std::string big =
        encode_frame({FrameKind::onion_request, 7, std::string(1'000'000, 'a')});
    const std::string small = encode_frame({FrameKind::reply, 8, "ok"});
    const std::string both = big + small.substr(0, 5);  // and the start of the next frame
    r.feed(reinterpret_cast<const std::uint8_t*>(both.data()), both.size());
    EXPECT_GE(r.held_bytes(), both.size());
    ASSERT_TRUE(r.next());
    EXPECT_GE(r.held_bytes(), both.size()) << "the next frame's first bytes are still there";
    r.feed(reinterpret_cast<const std::uint8_t*>(small.data() + 5), small.size() - 5);
    const auto reply = r.next();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->payload, "ok");
    EXPECT_LT(r.held_bytes(), 64u) << "nothing left to read: the buffer is given back";
    EXPECT_FALSE(r.next());
}

}  // namespace
}  // namespace sessionsim::apps
