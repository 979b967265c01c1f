#include "sim/apps/server_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/nstime.h>
#include <ns3/simulator.h>
#include <ns3/trace-source-accessor.h>

#include "sim/apps/directory.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(ServerApp);

using namespace ns3;

TypeId ServerApp::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::ServerApp")
            .SetParent<Application>()
            .SetGroupName("sessionsim")
            .AddConstructor<ServerApp>()
            .AddAttribute("ProcessingDelay", "Time to answer one request",
                          TimeValue(MilliSeconds(2)),
                          MakeTimeAccessor(&ServerApp::processing_delay_), MakeTimeChecker())
            .AddTraceSource("Request",
                            "Each relayed request: the exit node's address and the request and "
                            "reply sizes",
                            MakeTraceSourceAccessor(&ServerApp::request_trace_),
                            "sessionsim::ServerApp::RequestTracedCallback");
    return tid;
}

void ServerApp::Configure(std::shared_ptr<server::V4Server> server, crypto::X25519KeyPair keys,
                          std::uint64_t seed) {
    server_ = std::move(server);
    keys_ = std::move(keys);
    random_ = std::make_unique<crypto::SeededRandom>(seed, "external server");
}

void ServerApp::StartApplication() {
    listener_ = listen_keeping(
        transport_of(GetNode()), GetNode(), kServerPort,
        [this](Connection& c, Frame f) { on_frame(c, std::move(f)); }, connections_);
}

void ServerApp::StopApplication() {
    if (listener_) {
        listener_->close();
        listener_ = nullptr;
    }
    const auto open = std::exchange(connections_, {});
    for (const auto& [raw, c] : open)
        c->close();
}

void ServerApp::DoDispose() {
    connections_.clear();
    Application::DoDispose();
}

void ServerApp::on_frame(Connection& from, Frame frame) {
    if (frame.kind != FrameKind::server_request) {
        from.close();
        return;
    }
    ++requests_;
    const auto it = connections_.find(&from);
    if (it == connections_.end())
        return;
    std::weak_ptr<Connection> conn = it->second;
    const auto reply =
        server::serve_onion(*server_, as_bytes(frame.payload), keys_, protocol_now_ms(), *random_);
    request_trace_(from.peer(), static_cast<std::uint32_t>(frame.payload.size()),
                   static_cast<std::uint32_t>(reply.body.size()));
    Simulator::Schedule(processing_delay_, [conn, id = frame.request_id, reply] {
        if (auto c = conn.lock())
            c->send(encode_reply(id, reply.status, reply.body));
    });
    after_request();
}

}  // namespace sessionsim::apps
