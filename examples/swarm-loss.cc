// A swarm losing members, built with sessionsim's helpers: 14 service nodes (two swarms) and
// two clients that talk to their swarms directly. Client 0 sends client 1 a message while client 1
// is offline; then `--crash` of the recipient's swarm members crash (their storage gone), and
// client 1 comes online and polls. A message survives while one member of its swarm holds it: with
// fewer crashes than members it arrives, with all of them crashed it is lost. Prints the swarm,
// what was crashed and the outcome; exits 1 if the outcome is not the one the rule predicts.
//
//   build/bin/example-swarm-loss [--crash=N]   (default: every member but one)
#include <ns3/core-module.h>

#include <cstdio>
#include <optional>

#include "models/storage/swarm_view.h"
#include "sim/apps/service_node_app.h"
#include "sim/helper/service_node_helper.h"
#include "sim/helper/session_client_helper.h"
#include "sim/net/wan_helper.h"

using namespace sessionsim;

int main(int argc, char** argv) {
    int crash = -1;
    ns3::CommandLine cmd(__FILE__);
    cmd.AddValue("crash", "members of the recipient's swarm to crash (-1: all but one)", crash);
    cmd.Parse(argc, argv);

    const std::uint32_t n_nodes = 14;
    std::vector<net::PlacedHost> hosts;
    for (std::uint32_t i = 0; i < n_nodes + 2; ++i)
        hosts.push_back({{"DE", -1}, 0x0a000001u + (i << 8), "example"});
    const net::UniformLatency latency(20);
    const auto wan = net::WanHelper(latency).Install(hosts);
    ns3::NodeContainer node_hosts, client_hosts;
    for (std::uint32_t i = 0; i < n_nodes + 2; ++i)
        (i < n_nodes ? node_hosts : client_hosts).Add(wan.nodes.Get(i));

    helper::ServiceNodeHelper node_helper(/*seed=*/3);
    const auto node_apps = node_helper.Install(node_hosts, wan.addresses);
    const auto directory = node_helper.Directory();

    std::optional<double> stored_at, read_at;
    helper::SessionClientHelper clients(directory, /*seed=*/3);
    // Requests go straight to the swarm (no onion path), so that what decides the outcome is
    // the swarm's rule, not whether a path happens to cross a crashed node.
    client::ClientConfig direct;
    direct.path_length = 0;
    clients.SetConfig(direct);
    clients.SetObserver([&](std::size_t c) {
        apps::ClientObserver o;
        if (c == 0)
            o.stored = [&](const client::MessageStored&) {
                stored_at = ns3::Simulator::Now().GetSeconds();
            };
        else
            o.received = [&](const client::MessageReceived&) {
                read_at = ns3::Simulator::Now().GetSeconds();
            };
        return o;
    });
    const auto apps = clients.Install(client_hosts);
    auto sender = ns3::DynamicCast<apps::ClientApp>(apps.Get(0));
    auto recipient = ns3::DynamicCast<apps::ClientApp>(apps.Get(1));
    const double online_at = 40;
    recipient->SetStartTime(ns3::Seconds(online_at));  // offline until then

    // The recipient's swarm, and which of its members crash.
    const auto account = recipient->Client().identity().session_id();
    const auto& members = directory->swarms->members(directory->swarms->swarm_of(account));
    const auto to_crash =
        crash < 0 ? members.size() - 1
                  : std::min<std::size_t>(members.size(), static_cast<std::size_t>(crash));
    std::vector<ns3::Ptr<apps::ServiceNodeApp>> crashed;
    for (std::size_t m = 0; m < to_crash; ++m) {
        for (std::uint32_t i = 0; i < node_apps.GetN(); ++i) {
            auto app = ns3::DynamicCast<apps::ServiceNodeApp>(node_apps.Get(i));
            if (app->Node().keys().ed25519.public_key == members[m].ed25519)
                crashed.push_back(app);
        }
    }

    ns3::Simulator::Schedule(ns3::Seconds(10),
                             [&] { sender->SendText(account, "kept by the swarm"); });
    ns3::Simulator::Schedule(ns3::Seconds(20), [&] {
        for (auto& app : crashed)
            app->Crash(/*keep_database=*/false);
    });
    ns3::Simulator::Stop(ns3::Seconds(180));
    ns3::Simulator::Run();

    std::printf("recipient's swarm: %zu members; %zu crashed at 20 s; recipient online at %.0f s\n",
                members.size(), crashed.size(), online_at);
    std::printf("stored: %s; read: %s\n", stored_at ? "yes" : "no",
                read_at ? ("at " + std::to_string(*read_at) + " s").c_str() : "no (lost)");
    ns3::Simulator::Destroy();
    const bool should_arrive = crashed.size() < members.size();
    if (!stored_at || read_at.has_value() != should_arrive) {
        std::printf("unexpected: a message should %s while %zu of %zu members hold it\n",
                    should_arrive ? "arrive" : "be lost", members.size() - crashed.size(),
                    members.size());
        return 1;
    }
    return 0;
}
