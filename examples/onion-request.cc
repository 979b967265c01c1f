// A Session message on a handful of ns-3 nodes, built with sessionsim's helpers: 12 service
// nodes and 2 clients on a WAN with a uniform 25 ms one-way delay. Client 0 sends a text to
// client 1 through a 3-hop onion path; client 1 polls its swarm and reads it. Prints the
// store request's path and times, and exits 1 if the message does not arrive.
//
//   build/bin/example-onion-request [--oneWayMs=25] [--nodes=12] [--pcap=PREFIX]
#include <ns3/core-module.h>

#include <cstdio>
#include <optional>

#include "models/common/bytes.h"
#include "sim/helper/service_node_helper.h"
#include "sim/helper/session_client_helper.h"
#include "sim/net/wan_helper.h"

using namespace sessionsim;

int main(int argc, char** argv) {
    double one_way_ms = 25;
    std::uint32_t n_nodes = 12;
    std::string pcap;
    ns3::CommandLine cmd(__FILE__);
    cmd.AddValue("oneWayMs", "one-way delay between any two hosts, ms", one_way_ms);
    cmd.AddValue("nodes", "service nodes (7 or more: one swarm)", n_nodes);
    cmd.AddValue("pcap", "write every host's packets to <pcap>-<host>.pcap (tshark reads them)",
                 pcap);
    cmd.Parse(argc, argv);

    // Hosts: the service nodes, then the two clients, each on its own /24.
    std::vector<net::PlacedHost> hosts;
    for (std::uint32_t i = 0; i < n_nodes + 2; ++i)
        hosts.push_back({{"DE", -1}, 0x0a000001u + (i << 8), "example"});
    const net::UniformLatency latency(one_way_ms);
    net::WanHelper wan_helper(latency);
    const auto wan = wan_helper.Install(hosts);
    if (!pcap.empty())
        net::WanHelper::EnablePcap(pcap, wan);
    ns3::NodeContainer node_hosts, client_hosts;
    for (std::uint32_t i = 0; i < n_nodes + 2; ++i)
        (i < n_nodes ? node_hosts : client_hosts).Add(wan.nodes.Get(i));

    helper::ServiceNodeHelper nodes(/*seed=*/1);
    nodes.Install(node_hosts, wan.addresses);

    std::optional<apps::RequestRecord> store;
    std::optional<double> stored_at, read_at;
    std::string text;
    helper::SessionClientHelper clients(nodes.Directory(), /*seed=*/1);
    clients.SetObserver([&](std::size_t c) {
        apps::ClientObserver o;
        if (c == 0) {
            o.request = [&](const apps::RequestRecord& r) {
                if (!r.probe && r.hops == 3 && !store)
                    store = r;
            };
            o.stored = [&](const client::MessageStored&) {
                stored_at = ns3::Simulator::Now().GetSeconds();
            };
        } else {
            o.received = [&](const client::MessageReceived& m) {
                read_at = ns3::Simulator::Now().GetSeconds();
                text = m.message.text;
            };
        }
        return o;
    });
    const auto apps = clients.Install(client_hosts);
    auto sender = ns3::DynamicCast<apps::ClientApp>(apps.Get(0));
    auto recipient = ns3::DynamicCast<apps::ClientApp>(apps.Get(1));

    const double send_at = 10;
    ns3::Simulator::Schedule(ns3::Seconds(send_at), [&] {
        sender->SendText(recipient->Client().identity().session_id(), "hello through three hops");
    });
    ns3::Simulator::Stop(ns3::Seconds(60));
    ns3::Simulator::Run();

    std::printf("%u service nodes, one-way delay %.1f ms, message sent at %.1f s\n", n_nodes,
                one_way_ms, send_at);
    if (store) {
        std::printf("store request: guard %s..., destination %s..., %.1f ms, status %d\n",
                    to_hex(store->guard).substr(0, 12).c_str(),
                    to_hex(store->destination).substr(0, 12).c_str(),
                    (store->end - store->start).GetSeconds() * 1000, store->status);
    }
    if (stored_at)
        std::printf("stored at %.3f s\n", *stored_at);
    if (read_at)
        std::printf("read at %.3f s by client 1: \"%s\"\n", *read_at, text.c_str());
    ns3::Simulator::Destroy();
    if (!read_at || text != "hello through three hops") {
        std::printf("the message did not arrive\n");
        return 1;
    }
    return 0;
}
