#include "sim/apps/central_server_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/integer.h>
#include <ns3/simulator.h>
#include <ns3/trace-source-accessor.h>
#include <utility>

#include "sim/apps/directory.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(CentralServerApp);

using namespace ns3;

TypeId CentralServerApp::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::CentralServerApp")
            .SetParent<Application>()
            .SetGroupName("sessionsim")
            .AddConstructor<CentralServerApp>()
            .AddAttribute("HandshakeRoundTrips",
                          "Extra round trips to open a backbone connection (TLS over TCP: 1)",
                          IntegerValue(1),
                          MakeIntegerAccessor(&CentralServerApp::handshake_round_trips_),
                          MakeIntegerChecker<int>(0, 5))
            .AddTraceSource("MessageRouted",
                            "Each message a client hands this data centre, with what the operator "
                            "sees: sender account and address, recipient, time, size",
                            MakeTraceSourceAccessor(&CentralServerApp::record_trace_),
                            "sessionsim::CentralServerApp::RecordTracedCallback");
    return tid;
}

void CentralServerApp::Configure(std::size_t index, std::vector<Ipv4Address> datacentres,
                                 central::OperatorServer::HomeOf home_of) {
    index_ = index;
    datacentres_ = std::move(datacentres);
    server_ = std::make_unique<central::OperatorServer>(index, std::move(home_of));
    server_->set_observer([this](const central::OperatorRecord& r) { record_trace_(r); });
}

void CentralServerApp::StartApplication() {
    if (!dark_)
        listen();
    expire_event_ = Simulator::Schedule(Hours(1), &CentralServerApp::expire, this);
}

void CentralServerApp::listen() {
    listener_ = transport_of(GetNode()).listen(
        GetNode(), kOperatorPort, [this](Connection& c, Frame f) { on_frame(c, std::move(f)); },
        [this](Connection& c) { on_client_closed(c); },
        [this](std::shared_ptr<Connection> c) {
            const central::ConnectionId id = next_id_++;
            ids_[c.get()] = id;
            clients_[id] = std::move(c);
        });
}

void CentralServerApp::StopApplication() {
    expire_event_.Cancel();
    drop_connections(/*crash=*/false);
}

void CentralServerApp::DoDispose() {
    clients_.clear();
    backbone_.clear();
    Application::DoDispose();
}

void CentralServerApp::drop_connections(bool crash) {
    if (listener_) {
        listener_->close();
        listener_ = nullptr;
    }
    // Ending a connection runs its close callback, which edits these maps: empty them first
    // (ids_ stays until then: the callback reads the connection's id there).
    const auto clients = std::exchange(clients_, {});
    const auto backbone = std::exchange(backbone_, {});
    for (const auto& [id, c] : clients)
        crash ? c->abort() : c->close();
    for (const auto& [dc, c] : backbone)
        crash ? c->abort() : c->close();
    ids_.clear();
}

void CentralServerApp::GoDark() {
    if (dark_)
        return;
    dark_ = true;
    drop_connections(/*crash=*/true);
    server_->on_outage();
}

void CentralServerApp::Restore() {
    if (!dark_)
        return;
    dark_ = false;
    listen();
}

void CentralServerApp::on_client_closed(Connection& c) {
    const auto it = ids_.find(&c);
    if (it == ids_.end())
        return;
    const auto id = it->second;
    ids_.erase(it);
    clients_.erase(id);
    server_->on_disconnect(id);
}

void CentralServerApp::on_frame(Connection& from, Frame frame) {
    if (dark_)
        return;
    if (frame.kind == FrameKind::operator_backbone) {
        perform(server_->on_datacentre(frame.payload, protocol_now_ms()));
        return;
    }
    const auto id = ids_.find(&from);
    if (frame.kind != FrameKind::operator_client || id == ids_.end()) {
        from.close();
        return;
    }
    perform(server_->on_client(id->second, from.peer().Get(), frame.payload, protocol_now_ms()));
}

std::shared_ptr<Connection> CentralServerApp::backbone(std::size_t datacentre) {
    if (const auto it = backbone_.find(datacentre); it != backbone_.end() && !it->second->closed())
        return it->second;
    auto conn = transport_of(GetNode()).connect(
        GetNode(), datacentres_.at(datacentre), kOperatorPort, handshake_round_trips_,
        [](Connection&, Frame) {},
        [this, datacentre](Connection& c) {
            if (const auto it = backbone_.find(datacentre);
                it != backbone_.end() && it->second.get() == &c)
                backbone_.erase(it);
        });
    backbone_[datacentre] = conn;
    return conn;
}

void CentralServerApp::perform(central::OperatorActions actions) {
    for (auto& action : actions) {
        if (auto* to = std::get_if<central::ToClient>(&action)) {
            if (const auto it = clients_.find(to->connection); it != clients_.end())
                it->second->send(
                    encode_frame({FrameKind::operator_client, 0, std::move(to->bytes)}));
        } else if (auto* dc = std::get_if<central::ToDatacentre>(&action)) {
            backbone(dc->datacentre)
                ->send(encode_frame({FrameKind::operator_backbone, 0, std::move(dc->bytes)}));
        } else if (auto* close = std::get_if<central::CloseClient>(&action)) {
            // Hold it: closing runs the callback that erases it from clients_.
            if (const auto it = clients_.find(close->connection); it != clients_.end()) {
                const auto conn = it->second;
                conn->close();
            }
        }
    }
}

void CentralServerApp::expire() {
    server_->expire(protocol_now_ms());
    expire_event_ = Simulator::Schedule(Hours(1), &CentralServerApp::expire, this);
}

}  // namespace sessionsim::apps
