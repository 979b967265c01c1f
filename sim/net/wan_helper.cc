#include "sim/net/wan_helper.h"

#include <filesystem>

#include <ns3/boolean.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-static-routing-helper.h>
#include <ns3/ipv4.h>
#include <ns3/string.h>
#include <ns3/trace-helper.h>
#include <ns3/uinteger.h>

#include "sim/net/tcp_settings.h"

namespace sessionsim::net {

Wan build_wan(const std::vector<PlacedHost>& hosts, const LatencyModel& model,
              const WanLinkOptions& links, HostStack host_stack) {
    Wan wan;
    wan.delays = std::make_shared<DelayTable>();
    std::vector<std::uint32_t> location_index;
    location_index.reserve(hosts.size());
    for (const auto& h : hosts)
        location_index.push_back(wan.delays->intern(h.location));
    wan.delays->build(model);

    wan.nodes.Create(static_cast<std::uint32_t>(hosts.size()));
    ns3::InternetStackHelper stack;
    ns3::Ipv4StaticRoutingHelper static_routing;
    stack.SetRoutingHelper(static_routing);  // no global routing: one default route per host
    stack.SetIpv6StackInstall(false);
    const bool internet = host_stack == HostStack::internet;
    if (internet)
        stack.Install(wan.nodes);

    wan.channel = ns3::CreateObject<WanChannel>();
    wan.channel->SetDelayTable(wan.delays);
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const auto node = wan.nodes.Get(static_cast<std::uint32_t>(i));
        auto device = ns3::CreateObject<WanNetDevice>();
        device->SetAttribute("UpRate", ns3::StringValue(links.up_rate));
        device->SetAttribute("DownRate", ns3::StringValue(links.down_rate));
        device->SetAttribute("QueueBytes", ns3::UintegerValue(links.queue_bytes));
        node->AddDevice(device);
        auto tcp = ns3::CreateObject<TcpSettings>();
        tcp->SetAttribute("SegmentSize", ns3::UintegerValue(links.tcp_segment_bytes));
        tcp->SetAttribute("SlowStartRestart", ns3::BooleanValue(links.tcp_slow_start_restart));
        node->AggregateObject(tcp);
        const ns3::Ipv4Address address(hosts[i].ipv4);
        wan.channel->Attach(device, address, location_index[i]);
        wan.addresses.push_back(address);
        wan.devices.push_back(device);
        if (!internet)
            continue;

        auto ipv4 = node->GetObject<ns3::Ipv4>();
        const auto interface = static_cast<std::uint32_t>(ipv4->AddInterface(device));
        ipv4->AddAddress(interface,
                         ns3::Ipv4InterfaceAddress(address, ns3::Ipv4Mask("255.255.255.255")));
        ipv4->SetUp(interface);
        static_routing.GetStaticRouting(ipv4)->SetDefaultRoute(ns3::Ipv4Address::GetAny(),
                                                               interface);
    }
    return wan;
}

void WanHelper::EnablePcap(const std::string& prefix, const Wan& wan,
                           const std::vector<std::size_t>& hosts) {
    std::vector<std::size_t> which = hosts;
    if (which.empty()) {
        for (std::size_t i = 0; i < wan.devices.size(); ++i)
            which.push_back(i);
    }
    if (const auto folder = std::filesystem::path(prefix).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    ns3::PcapHelper pcap;
    for (const auto i : which) {
        const auto& device = wan.devices.at(i);
        // No link-layer header: the device carries IPv4 packets as they are.
        auto file = pcap.CreateFile(prefix + "-" + std::to_string(i) + ".pcap", std::ios::out,
                                    ns3::PcapHelper::DLT_RAW);
        pcap.HookDefaultSink(device, "Tx", file);
        pcap.HookDefaultSink(device, "Rx", file);
    }
}

}  // namespace sessionsim::net
