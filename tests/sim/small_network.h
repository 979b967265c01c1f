// A small Session network on the simulated WAN for end-to-end tests: service nodes, clients
// and, if asked for, the file server and the push server, all at one uniform one-way delay with
// unlimited access links and no processing delay, on either transport level.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <ns3/core-module.h>

#include "models/crypto/hash.h"
#include "models/server/file_server.h"
#include "sim/apps/client_app.h"
#include "sim/apps/push_apps.h"
#include "sim/apps/server_app.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/wan_helper.h"
#include "tests/sim/both_levels.h"

namespace sessionsim::apps {

struct SmallNetwork {
    net::Wan wan;
    std::shared_ptr<NodeDirectory> directory;
    std::vector<ns3::Ptr<ServiceNodeApp>> nodes;
    std::vector<ns3::Ptr<ClientApp>> clients;
    std::vector<RequestRecord> requests;
    std::vector<client::MessageReceived> received;
    std::vector<client::MessageStored> stored;
    std::function<void(const client::MessageReceived&)> received_hook;

    ns3::Ptr<ServerApp> file_server;
    onion::ServerKeys file_server_keys;
    ns3::Ptr<PushServerApp> push_server;
    std::shared_ptr<push::PushServer> push;
    onion::ServerKeys push_server_keys;
    ns3::Ptr<PlatformApp> platform;

    std::shared_ptr<MessageNetwork> message_network;  // the message level only

    /// Hosts: nodes, clients, then the file server and the push server + platform if asked for,
    /// on either transport level.
    SmallNetwork(std::size_t n_nodes, std::size_t n_clients, double one_way_ms,
                 bool with_file_server = false, bool with_push = false,
                 levels_test::Level level = levels_test::Level::packet) {
        std::vector<net::PlacedHost> hosts;
        const std::size_t extra = (with_file_server ? 1 : 0) + (with_push ? 2 : 0);
        for (std::size_t i = 0; i < n_nodes + n_clients + extra; ++i) {
            hosts.push_back(
                {{"DE", -1}, 0x0a000001u + (static_cast<std::uint32_t>(i) << 8), "test"});
        }
        wan = net::build_wan(
            hosts, net::UniformLatency(one_way_ms), {.up_rate = "0bps", .down_rate = "0bps"},
            level == levels_test::Level::packet ? net::HostStack::internet : net::HostStack::none);
        if (level == levels_test::Level::message)
            message_network = install_message_transport(wan);

        std::vector<node::NodeKeys> keys;
        std::vector<std::uint32_t> ipv4;
        for (std::size_t i = 0; i < n_nodes; ++i) {
            keys.push_back(node::NodeKeys::from_seed(crypto::Ed25519Seed::from(
                crypto::blake2b_256({as_bytes("e2e node " + std::to_string(i))}))));
            ipv4.push_back(hosts[i].ipv4);
        }
        directory = make_directory(
            keys, {wan.addresses.begin(), wan.addresses.begin() + static_cast<long>(n_nodes)}, ipv4,
            1);

        if (with_file_server) {
            const auto server_keys = crypto::x25519_from_secret(crypto::X25519SecretKey::from(
                crypto::blake2b_256({as_bytes(std::string("e2e file server"))})));
            file_server_keys = {.host = "filev2.getsession.org", .x25519 = server_keys.public_key};
            const auto at = static_cast<std::uint32_t>(n_nodes + n_clients);
            directory->servers[file_server_keys.host] = wan.addresses[at];
            file_server = ns3::CreateObject<ServerApp>();
            file_server->Configure(std::make_shared<server::FileServer>(), server_keys, 99);
            wan.nodes.Get(at)->AddApplication(file_server);
        }
        if (with_push) {
            const auto at = static_cast<std::uint32_t>(n_nodes + n_clients + extra - 2);
            const auto server_keys = crypto::x25519_from_secret(crypto::X25519SecretKey::from(
                crypto::blake2b_256({as_bytes(std::string("e2e push server"))})));
            push_server_keys = {.host = "push.getsession.org", .x25519 = server_keys.public_key};
            directory->servers[push_server_keys.host] = wan.addresses[at];
            push = std::make_shared<push::PushServer>(5);
            push_server = ns3::CreateObject<PushServerApp>();
            push_server->Configure(push, server_keys, 98);
            push_server->ConfigurePush(push, directory, {{wan.addresses[at + 1]}});
            wan.nodes.Get(at)->AddApplication(push_server);
            platform = ns3::CreateObject<PlatformApp>();
            wan.nodes.Get(at + 1)->AddApplication(platform);
        }
        for (std::size_t i = 0; i < n_nodes; ++i) {
            auto app = ns3::CreateObject<ServiceNodeApp>();
            app->SetAttribute("ProcessingDelay", ns3::TimeValue(ns3::Seconds(0)));
            app->SetAttribute("HandshakeRoundTrips", ns3::IntegerValue(0));
            app->Configure(keys[i], directory, 7);
            wan.nodes.Get(static_cast<std::uint32_t>(i))->AddApplication(app);
            nodes.push_back(app);
        }
        ClientObserver observer{
            [this](const RequestRecord& r) { requests.push_back(r); },
            [this](const client::MessageStored& s) { stored.push_back(s); },
            [](const client::MessageFailed& f) { ADD_FAILURE() << "message failed: " << f.reason; },
            [this](const client::MessageReceived& m) {
                received.push_back(m);
                if (received_hook)
                    received_hook(m);
            }};
        for (std::size_t c = 0; c < n_clients; ++c) {
            auto app = ns3::CreateObject<ClientApp>();
            app->SetAttribute("HandshakeRoundTrips", ns3::IntegerValue(0));
            app->Configure(identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(
                               crypto::blake2b_256({as_bytes("e2e client " + std::to_string(c))}))),
                           client::ClientConfig{}, directory, 7 + c, observer);
            wan.nodes.Get(static_cast<std::uint32_t>(n_nodes + c))->AddApplication(app);
            clients.push_back(app);
        }
    }
    ~SmallNetwork() { ns3::Simulator::Destroy(); }
};

}  // namespace sessionsim::apps
