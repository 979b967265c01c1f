// The transport levels' exact checks (issue 26), each run on both levels against one closed
// form: with a uniform one-way delay d, unlimited access links and no processing, a warm 3-hop
// onion request takes 8d and a cold one adds TCP's round trip on each of its four connections;
// a desktop request on its own TCP + TLS connection takes 12d; a request on a new connection
// pays TCP's round trip and each handshake round trip, a warm one only its own; and a 10 MB
// upload over a 20 Mbit/s uplink takes the slow-start closed form within one round trip. One
// check has no closed form: uploads contending for one downlink must take the same time at
// both levels. Each check prints a [validation] line, so docs/validation.md lists them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>

#include "tests/sim/both_levels.h"
#include "tests/sim/small_network.h"
#include "tests/support/validation.h"

namespace sessionsim::apps::levels_test {
namespace {

std::string name_of(Level level) {
    return level == Level::packet ? "packet" : "message";
}

/// The closed forms here are sums of d; ns-3's packets add a few nanoseconds on their way
/// through the stack (8 ns on a 3-hop request), so the checks allow one microsecond.
constexpr double kExactMs = 1e-3;

struct OnionRun {
    double fastest_ms = 1e18;
    double first_ms = 0;  // the client's first request, on cold connections all the way
    std::size_t answered = 0;
};

OnionRun run_small_network(Level level, double d_ms, std::size_t clients, bool desktop) {
    SmallNetwork net(24, clients, d_ms, false, false, level);
    for (auto& c : net.clients) {
        if (desktop) {
            c->SetAttribute("PerRequestConnections", ns3::BooleanValue(true));
            c->SetAttribute("HandshakeRoundTrips", ns3::IntegerValue(1));
        }
    }
    ns3::Simulator::Stop(ns3::Seconds(60));
    ns3::Simulator::Run();
    OnionRun run;
    double first_start = 1e18;
    for (const auto& r : net.requests) {
        EXPECT_EQ(r.status, 200) << name_of(level);
        if (r.status != 200 || r.hops != 3)
            continue;
        const double ms = (r.end - r.start).GetSeconds() * 1000;
        run.fastest_ms = std::min(run.fastest_ms, ms);
        if (r.start.GetSeconds() < first_start) {
            first_start = r.start.GetSeconds();
            run.first_ms = ms;
        }
        ++run.answered;
    }
    return run;
}

class OnionClosedForms : public ::testing::TestWithParam<std::tuple<Level, double>> {};

TEST_P(OnionClosedForms, WarmThreeHopsTakeEightOneWayDelaysAndColdOnesAddTcpsRoundTripPerHop) {
    const auto [level, d] = GetParam();
    const auto run = run_small_network(level, d, 1, false);
    ASSERT_GT(run.answered, 10u) << "polls every 5 s";
    const auto tag = name_of(level) + " level, d = " + std::to_string(static_cast<int>(d)) + " ms";
    // client -> guard -> relay -> relay -> destination and back.
    test::expect_exact("warm 3-hop onion request, " + tag + ", ms", run.fastest_ms, 8 * d,
                       kExactMs);
    // The first request opens all four connections (no handshake beyond TCP's, as configured):
    // each adds its SYN round trip before the onion goes on.
    test::expect_exact("cold 3-hop onion request (4 new connections), " + tag + ", ms",
                       run.first_ms, 8 * d + 4 * 2 * d, kExactMs);
}

TEST_P(OnionClosedForms, ADesktopRequestOnItsOwnTcpAndTlsConnectionTakesTwelveOneWayDelays) {
    // Desktop opens a new TCP + TLS 1.3 connection to its guard for every request: TCP's SYN
    // round trip (2d) and TLS's (2d) come before the warm request's 8d, every time.
    const auto [level, d] = GetParam();
    const auto run = run_small_network(level, d, 2, true);
    ASSERT_GT(run.answered, 20u);
    test::expect_exact("desktop request on a new TCP + TLS connection, " + name_of(level) +
                           " level, d = " + std::to_string(static_cast<int>(d)) + " ms, ms",
                       run.fastest_ms, 12 * d, kExactMs);
}

std::string level_and_delay(
    const ::testing::TestParamInfo<OnionClosedForms::ParamType>& param_info) {
    const auto [level, d] = param_info.param;
    return std::string(level == Level::packet ? "Packet" : "Message") +
           std::to_string(static_cast<int>(d)) + "ms";
}

INSTANTIATE_TEST_SUITE_P(BothLevelsTwoDelays, OnionClosedForms,
                         ::testing::Combine(::testing::Values(Level::packet, Level::message),
                                            ::testing::Values(10.0, 25.0)),
                         level_and_delay);

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
        const double rtt_ms = 2 * kOneWay * 1000;
        const auto tag =
            name_of(GetParam()) + " level, " + std::to_string(tls) + " handshake round trips, ms";
        test::expect_exact("request on a new connection, " + tag, (seen.replies[0] - 1) * 1000,
                           (1 + tls + 1) * rtt_ms, kExactMs);
        test::expect_exact("request on the same connection later, " + tag,
                           (seen.replies[1] - 5) * 1000, rtt_ms, kExactMs);
    }
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
    test::expect_exact("10 MB upload over 20 Mbit/s, 10 ms one way, slow start, " +
                           name_of(GetParam()) + " level, s (within one round trip)",
                       *served - 2, expected, rtt);
}

}  // namespace
}  // namespace sessionsim::apps::levels_test

namespace sessionsim::apps::levels_test {
namespace {

/// `senders` hosts each upload `bytes` as one frame, on connections opened at 0.5 s, into one
/// receiver 50 ms away whose downlink runs at `down_rate`, starting `gap_s` apart; returns
/// each upload's duration (-1 if it never arrived), in the order they started.
std::vector<double> contended_uploads(Level level, int senders, std::size_t bytes, double gap_s,
                                      const std::string& down_rate) {
    std::vector<net::PlacedHost> hosts;
    for (int i = 0; i <= senders; ++i)
        hosts.push_back({{"DE"}, 0x0a000101u + static_cast<std::uint32_t>(i << 8), "test"});
    net::Wan wan = net::build_wan(
        hosts, net::UniformLatency(50), {.up_rate = "100Mbps", .down_rate = down_rate},
        level == Level::packet ? net::HostStack::internet : net::HostStack::none);
    std::shared_ptr<MessageNetwork> network;
    if (level == Level::message)
        network = install_message_transport(wan);
    const auto receiver = static_cast<std::uint32_t>(senders);
    std::vector<double> started(senders), done(senders, -1);
    std::vector<std::shared_ptr<Connection>> accepted, dialled(senders);
    auto listener = transport_of(wan.nodes.Get(receiver))
                        .listen(
                            wan.nodes.Get(receiver), kPort,
                            [&](Connection&, Frame f) {
                                done[f.request_id] = ns3::Simulator::Now().GetSeconds();
                            },
                            {}, [&](std::shared_ptr<Connection> c) { accepted.push_back(c); });
    for (int i = 0; i < senders; ++i) {
        at(0.5, [&, i] {
            dialled[i] = transport_of(wan.nodes.Get(i))
                             .connect(wan.nodes.Get(i), wan.addresses[receiver], kPort, 0, {}, {});
        });
        started[i] = 2 + gap_s * i;
        at(started[i], [&, i] { dialled[i]->send(request(i, std::string(bytes, 'a'))); });
    }
    run_until(600);
    std::vector<double> durations;
    for (int i = 0; i < senders; ++i)
        durations.push_back(done[i] - started[i]);
    return durations;
}

TEST(TransportContention, SixteenUploadsIntoOneDownlinkTakeTheSameTimeAtBothLevels) {
    // 1 MB each, 0.2 s apart, into a 30 Mbit/s downlink 50 ms away: up to 11 in flight at once,
    // so each connection's window is shaped by the others' queueing (HyStart's delay rule ends
    // slow start, CUBIC grows the window after it, ACKs wait behind data). Without losses the
    // message level reproduces each upload's time; with uploads closer than 0.1 s the queue
    // overflows, and the levels part (docs/transport.md: losses).
    const auto packet = contended_uploads(Level::packet, 16, 1'000'000, 0.2, "30Mbps");
    const auto message = contended_uploads(Level::message, 16, 1'000'000, 0.2, "30Mbps");
    double worst = 0;
    for (std::size_t i = 0; i < packet.size(); ++i) {
        ASSERT_GT(packet[i], 0) << "upload " << i << " never arrived at the packet level";
        ASSERT_GT(message[i], 0) << "upload " << i << " never arrived at the message level";
        worst = std::max(worst, std::abs(message[i] / packet[i] - 1));
    }
    test::expect_exact(
        "16 contended 1 MB uploads, largest relative difference of an upload's "
        "time, message vs packet level",
        worst, 0, 0.01);
}

}  // namespace
}  // namespace sessionsim::apps::levels_test
