// Push notifications in a Session run (client.mode = push): a push server and a platform push
// service (APNs/FCM stand-in) placed after the clients; every client registers a device token
// with the platform and subscribes through an onion request. At the end it reports what the
// push path cost and revealed: push_server.csv (what the push server learned per account) and
// platform.csv (which device address holds which token), and a "push" summary block.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <set>
#include <vector>

#include <ns3/node-container.h>
#include <ns3/ptr.h>
#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "models/push/push_server.h"
#include "sim/apps/client_app.h"
#include "sim/apps/push_apps.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class PushSetup {
public:
    PushSetup(const Scenario& sc, std::uint64_t seed);
    bool active() const { return active_; }

    /// The push server's host, then the platform's front-ends: to append after the clients.
    std::vector<net::PlacedHost> place(const net::MeasuredLatency* cities,
                                       const net::LatencyModel& model) const;
    /// Starts the push server on `nodes.Get(first)` and the platform's front-ends on the
    /// nodes after it, in the order place() gave them.
    void install(const ns3::NodeContainer& nodes, const std::vector<ns3::Ipv4Address>& addresses,
                 std::size_t first, std::shared_ptr<apps::NodeDirectory> directory);
    /// Puts a client in push mode (before it starts): it subscribes at a random time in the
    /// warm-up, as if the run joined a network whose devices had long subscribed.
    void enable(ns3::Ptr<apps::ClientApp> client);

    /// `clients`' addresses decide whether the push server ever saw a device.
    nlohmann::ordered_json summary(const std::vector<ns3::Ptr<apps::ClientApp>>& clients,
                                   const std::set<std::uint32_t>& client_addresses) const;
    void write_push_server_csv(std::ostream& out) const;
    void write_platform_csv(std::ostream& out) const;

private:
    void on_request(ns3::Ipv4Address from, std::uint32_t, std::uint32_t);

    const Scenario& sc_;
    std::uint64_t seed_;
    bool active_;
    crypto::X25519KeyPair keys_;
    onion::ServerKeys server_keys_;
    std::shared_ptr<push::PushServer> push_;
    ns3::Ptr<apps::PushServerApp> server_app_;
    std::size_t frontend_count_ = 1;
    std::vector<ns3::Ptr<apps::PlatformApp>> platform_apps_;
    apps::PlatformFrontends frontends_;
    crypto::SeededRandom subscribe_random_;
    std::set<std::uint32_t> addresses_seen_;
};

}  // namespace sessionsim::scenario
