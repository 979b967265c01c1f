// What the transport-level tests share (transport_levels_test.cc, transport_failures_test.cc,
// transport_exact_validation_test.cc): two hosts 10 ms apart on either level, the requests they
// exchange and what a dialled connection saw. Every BothLevels test runs once per level
// (instantiated once in each test binary).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ns3/core-module.h>

#include "sim/apps/message_transport.h"
#include "sim/apps/tcp_transport.h"
#include "sim/net/wan_helper.h"

namespace sessionsim::apps::levels_test {

enum class Level { packet, message };

inline std::string level_name(const ::testing::TestParamInfo<Level>& info) {
    return info.param == Level::packet ? "Packet" : "Message";
}

inline constexpr double kOneWay = 0.010;
inline constexpr std::uint16_t kPort = 443;

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

inline void run_until(double t) {
    ns3::Simulator::Stop(ns3::Seconds(t));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
}

inline void at(double t, std::function<void()> what) {
    ns3::Simulator::Schedule(ns3::Seconds(t), std::move(what));
}

/// When a sender gives up on a peer that no longer answers, after its send: ns-3's DataRetries
/// (6) retransmissions from a 1 s timeout (MinRto), doubled after each up to 60 s, then a last
/// timeout: 1 + 2 + 4 + 8 + 16 + 32 + 60 = 123 s.
inline constexpr double give_up_after_data_retries_s() {
    double total = 0, timeout = 1;
    for (int retry = 0; retry <= 6; ++retry, timeout *= 2)
        total += timeout < 60 ? timeout : 60;
    return total;
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

inline std::string request(std::uint64_t id, std::string body) {
    return encode_frame({FrameKind::onion_request, id, std::move(body)});
}

/// At `t`, host 0 dials host 1 (no handshake round trips, watching `liveness` if given) and
/// sends a "ping" request; what the connection sees goes to `seen`.
inline void ping_at(TwoHosts& net, double t, Seen& seen,
                    const Connection::Liveness* liveness = nullptr) {
    at(t, [&net, &seen, liveness] {
        seen.conn = net.dial(0, seen.on_frame(), seen.on_close());
        if (liveness)
            seen.conn->watch_liveness(*liveness);
        seen.conn->send(request(1, "ping"));
    });
}

class BothLevels : public ::testing::TestWithParam<Level> {};

}  // namespace sessionsim::apps::levels_test
