// The ns-3 toolchain sessionsim builds on: Debian's ns-3.37 links, schedules events in simulated
// time, and carries a UDP datagram between two nodes over its own IP stack. If this fails the
// simulator cannot work, so it is checked before anything is built on it.
#include <gtest/gtest.h>

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/simple-net-device-helper.h>

namespace {

TEST(Ns3Toolchain, SchedulesEventsInSimulatedTime) {
    std::vector<double> fired;
    ns3::Simulator::Schedule(ns3::Seconds(2),
                             [&] { fired.push_back(ns3::Simulator::Now().GetSeconds()); });
    ns3::Simulator::Schedule(ns3::Seconds(1),
                             [&] { fired.push_back(ns3::Simulator::Now().GetSeconds()); });
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_EQ(fired, (std::vector<double>{1.0, 2.0}));
}

TEST(Ns3Toolchain, UdpDatagramCrossesASimpleChannelWithItsDelay) {
    // ARP requests are jittered by default (0-10 ms); fix it at zero for an exact expectation.
    ns3::Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                            ns3::StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
    ns3::NodeContainer nodes;
    nodes.Create(2);
    ns3::SimpleNetDeviceHelper link;
    link.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MilliSeconds(40)));
    const auto devices = link.Install(nodes);
    ns3::InternetStackHelper stack;
    stack.Install(nodes);
    ns3::Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0");
    const auto interfaces = addresses.Assign(devices);

    const auto tid = ns3::TypeId::LookupByName("ns3::UdpSocketFactory");
    auto receiver = ns3::Socket::CreateSocket(nodes.Get(1), tid);
    receiver->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 9000));
    double received_at = -1;
    std::uint32_t received_size = 0;
    receiver->SetRecvCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([&](ns3::Ptr<ns3::Socket> s) {
            auto packet = s->Recv();
            received_size = packet->GetSize();
            received_at = ns3::Simulator::Now().GetSeconds();
        }));
    auto sender = ns3::Socket::CreateSocket(nodes.Get(0), tid);
    ns3::Simulator::Schedule(ns3::Seconds(1), [&] {
        sender->SendTo(ns3::Create<ns3::Packet>(100), 0,
                       ns3::InetSocketAddress(interfaces.GetAddress(1), 9000));
    });
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    EXPECT_EQ(received_size, 100u);
    // 40 ms link delay; ARP resolution first adds one request/reply round trip (80 ms).
    EXPECT_NEAR(received_at, 1.0 + 0.040 + 0.080, 1e-6);
}

}  // namespace
