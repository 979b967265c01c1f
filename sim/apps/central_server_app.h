// ns-3 Application for one data centre of the centralized baseline: central::OperatorServer over
// framed TCP. Clients connect to their home data centre and keep the connection; data centres
// relay to each other over connections of their own (the operator's backbone). An outage takes
// the data centre off the network -- connections vanish without a FIN, new ones are refused --
// while its mailboxes, on disk, survive.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>
#include <ns3/socket.h>
#include <ns3/traced-callback.h>

#include "models/central/operator_server.h"
#include "sim/apps/connection.h"

namespace sessionsim::apps {

/// The operator's front-end port (HTTPS/XMPP-style long-lived connections).
inline constexpr std::uint16_t kOperatorPort = 443;

class CentralServerApp : public ns3::Application {
public:
    using RecordTracedCallback = void (*)(const central::OperatorRecord&);

    static ns3::TypeId GetTypeId();
    CentralServerApp() = default;

    /// Data centre `index` of `datacentres` (addresses of all, in index order); `home_of` names
    /// each account's data centre. Must be called before the application starts.
    void Configure(std::size_t index, std::vector<ns3::Ipv4Address> datacentres,
                   central::OperatorServer::HomeOf home_of);

    /// The outage begins: unreachable until Restore().
    void GoDark();
    void Restore();
    bool IsDark() const { return dark_; }
    const central::OperatorServer& Server() const { return *server_; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

private:
    void listen();
    /// A client's connection closed (either end): the operator forgets it.
    void on_client_closed(Connection& c);
    void on_frame(Connection& from, Frame frame);
    void perform(central::OperatorActions actions);
    std::shared_ptr<Connection> backbone(std::size_t datacentre);
    void expire();
    void drop_connections(bool crash);

    std::size_t index_ = 0;
    std::vector<ns3::Ipv4Address> datacentres_;
    std::unique_ptr<central::OperatorServer> server_;
    std::unique_ptr<Listener> listener_;
    std::map<central::ConnectionId, std::shared_ptr<Connection>> clients_;
    std::map<const Connection*, central::ConnectionId> ids_;
    std::map<std::size_t, std::shared_ptr<Connection>> backbone_;
    central::ConnectionId next_id_ = 1;
    ns3::EventId expire_event_;
    bool dark_ = false;
    int handshake_round_trips_ = 1;
    ns3::TracedCallback<const central::OperatorRecord&> record_trace_;
};

}  // namespace sessionsim::apps
