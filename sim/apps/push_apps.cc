#include "sim/apps/push_apps.h"

#include <ns3/inet-socket-address.h>
#include <ns3/simulator.h>

#include "models/common/bencode.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(PushServerApp);
NS_OBJECT_ENSURE_REGISTERED(PlatformApp);

using namespace ns3;

std::string encode_platform_push(const std::string& token, const std::string& enc_payload) {
    return bencode::encode(bencode::Dict{{"p", enc_payload}, {"t", token}});
}

std::pair<std::string, std::string> decode_platform_push(const std::string& payload) {
    const auto d = bencode::decode(payload).as_dict();
    return {bencode::at(d, "t").as_string(), bencode::at(d, "p").as_string()};
}

TypeId PushServerApp::GetTypeId() {
    static TypeId tid = TypeId("sessionsim::PushServerApp")
                            .SetParent<ServerApp>()
                            .SetGroupName("sessionsim")
                            .AddConstructor<PushServerApp>();
    return tid;
}

void PushServerApp::ConfigurePush(std::shared_ptr<push::PushServer> push,
                                  std::shared_ptr<const NodeDirectory> directory,
                                  PlatformFrontends platform) {
    push_ = std::move(push);
    directory_ = std::move(directory);
    platform_ = std::move(platform);
}

void PushServerApp::StartApplication() {
    ServerApp::StartApplication();
    tick();
}

void PushServerApp::tick() {
    subscribe_due();
    timer_ = Simulator::Schedule(Seconds(60), &PushServerApp::tick, this);
}

void PushServerApp::StopApplication() {
    timer_.Cancel();
    for (auto& [node, c] : std::exchange(nodes_, {}))
        c->close();
    for (auto& [address, c] : std::exchange(platform_connections_, {}))
        c->close();
    ServerApp::StopApplication();
}

void PushServerApp::after_request() {
    subscribe_due();
}

void PushServerApp::subscribe_due() {
    for (const auto& monitor : push_->monitors_due(protocol_now_ms())) {
        const auto& swarms = *directory_->swarms;
        if (swarms.empty())
            continue;
        const std::string request = monitor.encode();
        for (const auto& member : swarms.members(swarms.swarm_of(monitor.account))) {
            if (auto conn = node_connection(member.ed25519)) {
                conn->send(encode_frame({FrameKind::monitor, next_id_++, request}));
                ++monitor_requests_;
            }
        }
    }
}

std::shared_ptr<Connection> PushServerApp::node_connection(const crypto::Ed25519PublicKey& node) {
    if (auto it = nodes_.find(node); it != nodes_.end() && !it->second->closed())
        return it->second;
    const auto* address = directory_->find(node);
    if (!address)
        return nullptr;
    auto conn = transport_of(GetNode()).connect(
        GetNode(), *address, kNodePort, 1,
        [this](Connection&, Frame f) { on_node_frame(std::move(f)); }, {});
    nodes_[node] = conn;
    return conn;
}

void PushServerApp::on_node_frame(Frame frame) {
    if (frame.kind != FrameKind::notify)
        return;  // monitor replies: a refused subscription is retried at the next renewal
    for (const auto& push : push_->on_notify(frame.payload, protocol_now_ms())) {
        const auto frontend = platform_.for_token(push.token);
        auto& conn = platform_connections_[frontend];
        if (!conn || conn->closed())
            conn = transport_of(GetNode()).connect(GetNode(), frontend, kPlatformPort, 1, {}, {});
        conn->send(encode_frame(
            {FrameKind::platform_push, 0, encode_platform_push(push.token, push.enc_payload)}));
    }
}

Ipv4Address PlatformFrontends::for_token(const std::string& token) const {
    if (addresses.empty())
        throw std::logic_error("PlatformFrontends: no front-end hosts");
    // FNV-1a: any string a subscriber sent maps somewhere, and random tokens spread evenly.
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : token)
        hash = (hash ^ c) * 1099511628211ull;
    return addresses[hash % addresses.size()];
}

TypeId PlatformApp::GetTypeId() {
    static TypeId tid = TypeId("sessionsim::PlatformApp")
                            .SetParent<Application>()
                            .SetGroupName("sessionsim")
                            .AddConstructor<PlatformApp>();
    return tid;
}

void PlatformApp::StartApplication() {
    listener_ = listen_keeping(
        transport_of(GetNode()), GetNode(), kPlatformPort,
        [this](Connection& c, Frame f) { on_frame(c, std::move(f)); }, connections_);
}

void PlatformApp::StopApplication() {
    if (listener_) {
        listener_->close();
        listener_ = nullptr;
    }
    for (auto& [raw, c] : std::exchange(connections_, {}))
        c->close();
}

void PlatformApp::DoDispose() {
    connections_.clear();
    Application::DoDispose();
}

void PlatformApp::on_frame(Connection& from, Frame frame) {
    const auto it = connections_.find(&from);
    if (it == connections_.end())
        return;
    if (frame.kind == FrameKind::platform_register) {
        devices_[frame.payload] = it->second;
        registered_[frame.payload] = from.peer().Get();
        return;
    }
    if (frame.kind != FrameKind::platform_push)
        return;
    std::pair<std::string, std::string> push;
    try {
        push = decode_platform_push(frame.payload);
    } catch (const InvalidInput&) {
        return;
    }
    const auto device = devices_.find(push.first);
    auto conn = device == devices_.end() ? nullptr : device->second.lock();
    if (!conn || conn->closed()) {
        ++undeliverable_;
        return;
    }
    deliveries_.push_back(
        {Simulator::Now().GetSeconds(), push.first, conn->peer().Get(), push.second.size()});
    conn->send(encode_frame({FrameKind::platform_push, 0, std::move(push.second)}));
}

}  // namespace sessionsim::apps
