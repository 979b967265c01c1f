// Push notifications on the simulated Internet. PushServerApp is the push server: a ServerApp
// for the devices' onion-routed /subscribe requests that also keeps OMQ connections to the
// subscribed accounts' swarm members (monitor.messages, notify.message) and hands each
// notification to the platform. PlatformApp stands in for APNs/FCM: devices keep a connection
// to it and register their token, so it learns which address holds which token, and when each
// notification arrives.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>

#include "models/push/push_server.h"
#include "sim/apps/directory.h"
#include "sim/apps/server_app.h"

namespace sessionsim::apps {

/// The platform push service's port (APNs: 5223).
inline constexpr std::uint16_t kPlatformPort = 5223;

/// The platform's front-end hosts. APNs and FCM hold their devices' connections on many
/// servers; one host holding 100,000 connections would also make every packet it receives scan
/// them all in ns-3's endpoint demultiplexer. A device registers at the front-end its token maps
/// to, and the push server sends there: the platform's internal routing is not modelled.
struct PlatformFrontends {
    std::vector<ns3::Ipv4Address> addresses;
    ns3::Ipv4Address for_token(const std::string& token) const;
};

class PushServerApp : public ServerApp {
public:
    static ns3::TypeId GetTypeId();
    void ConfigurePush(std::shared_ptr<push::PushServer> push,
                       std::shared_ptr<const NodeDirectory> directory, PlatformFrontends platform);
    std::uint64_t MonitorRequests() const { return monitor_requests_; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void after_request() override;

private:
    void tick();  ///< every minute: renew what is due
    void subscribe_due();
    std::shared_ptr<Connection> node_connection(const crypto::Ed25519PublicKey& node);
    void on_node_frame(Frame frame);

    std::shared_ptr<push::PushServer> push_;
    std::shared_ptr<const NodeDirectory> directory_;
    PlatformFrontends platform_;
    std::map<ns3::Ipv4Address, std::shared_ptr<Connection>> platform_connections_;
    std::map<crypto::Ed25519PublicKey, std::shared_ptr<Connection>> nodes_;
    ns3::EventId timer_;
    std::uint64_t next_id_ = 1, monitor_requests_ = 0;
};

/// What the platform learns: which device address holds which token, and each delivery.
struct PlatformDelivery {
    double at_s = 0;
    std::string token;
    std::uint32_t device_ipv4 = 0;
    std::size_t bytes = 0;
};

class PlatformApp : public ns3::Application {
public:
    static ns3::TypeId GetTypeId();
    const std::map<std::string, std::uint32_t>& Registrations() const { return registered_; }
    const std::vector<PlatformDelivery>& Deliveries() const { return deliveries_; }
    std::uint64_t Undeliverable() const { return undeliverable_; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

private:
    void on_frame(Connection& from, Frame frame);

    std::unique_ptr<Listener> listener_;
    AcceptedConnections connections_;
    std::map<std::string, std::weak_ptr<Connection>> devices_;  ///< by token
    std::map<std::string, std::uint32_t> registered_;           ///< token -> device address
    std::vector<PlatformDelivery> deliveries_;
    std::uint64_t undeliverable_ = 0;
};

/// The push server -> platform frame: the device token and the payload.
std::string encode_platform_push(const std::string& token, const std::string& enc_payload);
std::pair<std::string, std::string> decode_platform_push(const std::string& payload);

}  // namespace sessionsim::apps
