// The WAN channel: exact timing (access-link serialization + core delay, no ARP), measured
// delays between placed hosts, TCP over it, and drops from full queues, loss and unknown hosts.
#include <gtest/gtest.h>

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>

#include "sim/net/wan_helper.h"
#include "tests/support/vectors.h"

namespace sessionsim::net {
namespace {

struct Received {
    double at = -1;
    std::uint32_t bytes = 0;
    int packets = 0;
};

ns3::Ptr<ns3::Socket> udp_sink(ns3::Ptr<ns3::Node> node, Received& r) {
    auto s = ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
    s->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 9000));
    s->SetRecvCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([&r](ns3::Ptr<ns3::Socket> sock) {
        while (auto p = sock->Recv()) {
            r.at = ns3::Simulator::Now().GetSeconds();
            r.bytes += p->GetSize();
            ++r.packets;
        }
    }));
    return s;
}

void send_udp(ns3::Ptr<ns3::Node> from, ns3::Ipv4Address to, std::uint32_t bytes, double at,
              int count = 1) {
    auto s = ns3::Socket::CreateSocket(from, ns3::UdpSocketFactory::GetTypeId());
    ns3::Simulator::Schedule(ns3::Seconds(at), [s, to, bytes, count] {
        for (int i = 0; i < count; ++i)
            s->SendTo(ns3::Create<ns3::Packet>(bytes), 0, ns3::InetSocketAddress(to, 9000));
    });
}

std::vector<PlacedHost> two_hosts(Location a, Location b) {
    return {{a, 0x0a000101, "test"}, {b, 0x0a000201, "test"}};
}

TEST(Wan, UniformDelayPlusSerializationExactlyAndNoArp) {
    const UniformLatency model(40);
    auto wan = build_wan(two_hosts({"DE"}, {"US"}), model, {});
    Received r;
    auto sink = udp_sink(wan.nodes.Get(1), r);
    send_udp(wan.nodes.Get(0), wan.addresses[1], 100, 1.0);
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    // 100 B payload + 8 UDP + 20 IP = 128 B, serialized at 100 Mb/s on each access link.
    const double serialization = 128 * 8 / 100e6;
    EXPECT_NEAR(r.at, 1.0 + serialization + 0.040 + serialization, 1e-9);
    EXPECT_EQ(r.packets, 1);
}

TEST(Wan, MeasuredDelaysBetweenPlacedHosts) {
    static const MeasuredLatency measured(
        MeasuredLatencyOptions{.data_dir = (test::vectors_dir() / ".." / "data").string()});
    int frankfurt = -1, new_york = -1;
    for (const int c : measured.cities_in("DE"))
        if (measured.city_name(c) == "Frankfurt")
            frankfurt = c;
    for (const int c : measured.cities_in("US"))
        if (measured.city_name(c) == "NewYork")
            new_york = c;
    auto wan = build_wan(two_hosts({"DE", frankfurt}, {"US", new_york}), measured,
                         {.up_rate = "0bps", .down_rate = "0bps"});
    Received r;
    auto sink = udp_sink(wan.nodes.Get(1), r);
    send_udp(wan.nodes.Get(0), wan.addresses[1], 100, 2.0);
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_NEAR(r.at - 2.0, measured.one_way_ms({"DE", frankfurt}, {"US", new_york}) / 1000, 1e-9);
    EXPECT_NEAR(r.at - 2.0, 0.0413, 0.0005);
}

TEST(Wan, TcpConnectsAndDeliversAStream) {
    const UniformLatency model(10);
    auto wan = build_wan(two_hosts({"DE"}, {"FR"}), model, {});
    std::uint32_t received = 0;
    auto listener = ns3::Socket::CreateSocket(wan.nodes.Get(1), ns3::TcpSocketFactory::GetTypeId());
    listener->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 443));
    listener->Listen();
    listener->SetAcceptCallback(
        ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
        ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
            [&received](ns3::Ptr<ns3::Socket> s, const ns3::Address&) {
                s->SetRecvCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>(
                    [&received](ns3::Ptr<ns3::Socket> c) {
                        while (auto p = c->Recv())
                            received += p->GetSize();
                    }));
            }));
    auto client = ns3::Socket::CreateSocket(wan.nodes.Get(0), ns3::TcpSocketFactory::GetTypeId());
    double connected_at = -1;
    client->SetConnectCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([&](ns3::Ptr<ns3::Socket> s) {
            connected_at = ns3::Simulator::Now().GetSeconds();
            s->Send(ns3::Create<ns3::Packet>(20'000));
        }),
        ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    ns3::Simulator::Schedule(
        ns3::Seconds(1), [&] { client->Connect(ns3::InetSocketAddress(wan.addresses[1], 443)); });
    ns3::Simulator::Stop(ns3::Seconds(10));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_EQ(received, 20'000u);
    EXPECT_NEAR(connected_at, 1.020, 0.001);  // SYN + SYN-ACK: one round trip of 2 x 10 ms
}

TEST(Wan, FullQueueLossAndUnknownDestinationDrop) {
    const UniformLatency model(5);
    auto wan = build_wan(two_hosts({"DE"}, {"FR"}), model,
                         {.up_rate = "1Mbps", .down_rate = "100Mbps", .queue_bytes = 3000});
    int queue_drops = 0, core_drops = 0;
    wan.nodes.Get(0)->GetDevice(1)->TraceConnectWithoutContext(
        "Drop", ns3::Callback<void, ns3::Ptr<const ns3::Packet>>(
                    [&queue_drops](ns3::Ptr<const ns3::Packet>) { ++queue_drops; }));
    wan.channel->TraceConnectWithoutContext(
        "Drop", ns3::Callback<void, ns3::Ptr<const ns3::Packet>>(
                    [&core_drops](ns3::Ptr<const ns3::Packet>) { ++core_drops; }));
    Received r;
    auto sink = udp_sink(wan.nodes.Get(1), r);
    send_udp(wan.nodes.Get(0), wan.addresses[1], 972, 1.0, 10);  // 1000 B each into a 3000 B queue
    send_udp(wan.nodes.Get(0), ns3::Ipv4Address("10.9.9.9"), 100, 2.0);
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_EQ(r.packets, 3);
    EXPECT_EQ(queue_drops, 7);
    EXPECT_EQ(core_drops, 1);
}

TEST(Wan, LossRateDropsAboutThatShare) {
    const UniformLatency model(1);
    auto wan =
        build_wan(two_hosts({"DE"}, {"FR"}), model, {.up_rate = "0bps", .down_rate = "0bps"});
    wan.channel->SetAttribute("LossRate", ns3::DoubleValue(0.25));
    wan.channel->AssignStreams(7);
    Received r;
    auto sink = udp_sink(wan.nodes.Get(1), r);
    send_udp(wan.nodes.Get(0), wan.addresses[1], 10, 1.0, 2000);
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_NEAR(r.packets, 1500, 80);
}

}  // namespace
}  // namespace sessionsim::net
