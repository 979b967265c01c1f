#include "sim/apps/service_node_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/integer.h>
#include <ns3/simulator.h>
#include <ns3/trace-source-accessor.h>
#include <algorithm>
#include <utility>
#include <vector>

#include "models/node/driver_config.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(ServiceNodeApp);

using namespace ns3;

TypeId ServiceNodeApp::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::ServiceNodeApp")
            .SetParent<Application>()
            .SetGroupName("sessionsim")
            .AddConstructor<ServiceNodeApp>()
            .AddAttribute("ProcessingDelay",
                          "CPU time charged per request handled (peel, store, reply). The default "
                          "is the measured cost of peeling one layer (bench_protocol), so "
                          "latencies include the crypto a real node does.",
                          TimeValue(MicroSeconds(node::DriverConfig{}.processing_delay_us)),
                          MakeTimeAccessor(&ServiceNodeApp::processing_delay_), MakeTimeChecker())
            .AddAttribute("IdleTimeout",
                          "Close a connection this node opened (to a peer or a server) once it "
                          "has been idle this long: OxenMQ's DEFAULT_SEND_KEEP_ALIVE, which the "
                          "storage server's onion relay (send_onion_to_sn) does not override",
                          TimeValue(MilliSeconds(node::DriverConfig{}.idle_timeout_ms)),
                          MakeTimeAccessor(&ServiceNodeApp::idle_timeout_), MakeTimeChecker())
            .AddAttribute("HandshakeRoundTrips",
                          "Extra round trips to open a node-to-node connection (TLS/CurveZMQ)",
                          IntegerValue(node::DriverConfig{}.handshake_round_trips),
                          MakeIntegerAccessor(&ServiceNodeApp::handshake_round_trips_),
                          MakeIntegerChecker<int>(0, 5))
            .AddTraceSource("Expired", "Messages dropped by the expiry sweep",
                            MakeTraceSourceAccessor(&ServiceNodeApp::expired_trace_),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("HopObserved",
                            "Each onion layer this node handles, as the node sees it (address it "
                            "came from, next hop or decrypted request): an adversary's view",
                            MakeTraceSourceAccessor(&ServiceNodeApp::hop_trace_),
                            "sessionsim::ServiceNodeApp::HopTracedCallback")
            .AddTraceSource("MessageStored",
                            "Each message this node's store takes in (from a client, a swarm "
                            "peer or a push), by its storage hash",
                            MakeTraceSourceAccessor(&ServiceNodeApp::stored_trace_),
                            "sessionsim::ServiceNodeApp::StoredTracedCallback");
    return tid;
}

void ServiceNodeApp::Configure(node::NodeKeys keys, std::shared_ptr<const NodeDirectory> directory,
                               std::uint64_t seed) {
    random_ = std::make_unique<crypto::SeededRandom>(
        seed, "service node " + to_hex(keys.ed25519.public_key));
    node_ = std::make_unique<node::ServiceNode>(std::move(keys), *random_);
    directory_ = std::move(directory);
    node_->set_swarms(directory_->swarms);
}

void ServiceNodeApp::SetMisbehaviour(node::MisbehaviourPlan plan) {
    misbehaviour_ = std::move(plan);
    node_->set_misbehaviour(misbehaviour_);
}

node::MisbehaviourCounters ServiceNodeApp::Misdeeds() const {
    auto sum = past_misdeeds_;
    return sum += node_->misdeeds();
}

void ServiceNodeApp::UpdateSwarms(std::shared_ptr<const storage::SwarmView> view) {
    perform(node_->set_swarms(std::move(view)));
}

void ServiceNodeApp::Crash(bool keep_database) {
    if (down_)
        return;
    down_ = true;
    ++incarnation_;
    shut_down(/*crash=*/true);  // empties inbound_ and peers_
    upstream_.clear();
    auto keys = node_->keys();
    auto database = std::move(node_->store());
    past_misdeeds_ = Misdeeds();
    node_ = std::make_unique<node::ServiceNode>(std::move(keys), *random_);
    node_->set_misbehaviour(misbehaviour_);
    watching_hops_ = false;
    watching_stores_ = false;
    if (keep_database)
        node_->restore_database(std::move(database));
}

void ServiceNodeApp::Recover() {
    if (!down_)
        return;
    down_ = false;
    node_->set_swarms(directory_->swarms);
    StartApplication();
}

void ServiceNodeApp::StartApplication() {
    if (down_)
        return;  // crashed before ns-3 started the application: Recover() starts it
    listener_ = transport_of(GetNode()).listen(
        GetNode(), kNodePort, [this](Connection& c, Frame f) { on_frame(c, std::move(f)); },
        [this](Connection& c) {
            std::erase_if(inbound_, [&](const auto& p) { return p.get() == &c; });
        },
        [this](std::shared_ptr<Connection> c) { inbound_.push_back(std::move(c)); });
    cleanup_event_ =
        Simulator::Schedule(MilliSeconds(storage::kCleanupPeriod), &ServiceNodeApp::cleanup, this);
}

void ServiceNodeApp::StopApplication() {
    shut_down(/*crash=*/false);
}

void ServiceNodeApp::shut_down(bool crash) {
    cleanup_event_.Cancel();
    for (auto& [id, event] : pending_)
        event.Cancel();
    pending_.clear();
    for (auto& [id, event] : server_pending_)
        event.Cancel();
    server_pending_.clear();
    if (listener_)
        listener_->close();
    // Closing runs the connections' close callbacks, which edit these containers: empty them
    // first.
    // A crashed host sends no FIN: its connections just vanish, and peers find out when they
    // next use them.
    const auto end = [crash](Connection& c) { crash ? c.abort() : c.close(); };
    const auto inbound = std::exchange(inbound_, {});
    for (const auto& c : inbound)
        end(*c);
    std::vector<std::pair<crypto::Ed25519PublicKey, std::shared_ptr<Connection>>> peers(
        peers_.begin(), peers_.end());
    peers_.clear();
    std::sort(peers.begin(), peers.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [peer, c] : peers)
        end(*c);
    inbound_peers_.clear();
    const auto servers = std::exchange(servers_, {});
    for (const auto& [host, c] : servers)
        end(*c);
}

void ServiceNodeApp::DoDispose() {
    inbound_.clear();
    peers_.clear();
    inbound_peers_.clear();
    servers_.clear();
    listener_ = nullptr;
    Application::DoDispose();
}

void ServiceNodeApp::on_frame(Connection& from, Frame frame) {
    if (frame.kind == FrameKind::reply) {
        on_peer_frame(std::move(frame));
        return;
    }
    if (frame.kind == FrameKind::peer_hello) {
        if (frame.payload.size() == crypto::Ed25519PublicKey{}.size()) {
            crypto::Ed25519PublicKey key{};
            std::copy(frame.payload.begin(), frame.payload.end(), key.begin());
            inbound_peers_[key] = from.shared_from_this();
        }
        return;
    }
    // Requests cost CPU time before the node acts on them.
    auto conn = from.shared_from_this();
    Simulator::Schedule(processing_delay_, [this, conn, frame = std::move(frame),
                                            incarnation = incarnation_]() mutable {
        if (incarnation == incarnation_)
            handle(conn, std::move(frame));
    });
}

void ServiceNodeApp::watch_hops() {
    watching_hops_ = true;
    node_->set_hop_observer([this](const node::HopView& view) {
        hop_trace_(
            HopRecord{Simulator::Now(), node_->id(), handling_from_, handling_request_, view});
    });
}

void ServiceNodeApp::handle(std::shared_ptr<Connection> from, Frame frame) {
    // The node reports its view only while someone listens: re-reading the destination's
    // request costs time.
    if (!watching_hops_ && !hop_trace_.IsEmpty())
        watch_hops();
    if (!watching_stores_ && !stored_trace_.IsEmpty()) {
        watching_stores_ = true;
        node_->set_store_observer(
            [this](const storage::StoredMessage& m) { stored_trace_(m.hash); });
    }
    handling_from_ = from->peer().Get();
    handling_request_ = frame.request_id;
    const std::uint64_t id = next_upstream_id_++;
    upstream_[id] = {from, frame.request_id};
    const auto now = protocol_now_ms();
    switch (frame.kind) {
        case FrameKind::onion_request:
            perform(node_->on_onion_request(id, as_bytes(frame.payload), now));
            break;
        case FrameKind::direct_rpc:
            perform(node_->on_client_rpc(id, frame.payload, now));
            break;
        case FrameKind::peer_onion:
        case FrameKind::peer_storage:
        case FrameKind::peer_data: {
            const auto channel =
                frame.kind == FrameKind::peer_onion     ? node::PeerChannel::onion_request
                : frame.kind == FrameKind::peer_storage ? node::PeerChannel::storage_cc
                                                        : node::PeerChannel::data_relay;
            crypto::Ed25519PublicKey unknown{};  // the node does not act on the sender's identity
            perform(node_->on_peer_request(unknown, channel, id, frame.payload, now));
            if (channel == node::PeerChannel::data_relay)
                upstream_.erase(id);
            break;
        }
        case FrameKind::monitor: {
            upstream_.erase(id);
            // One subscriber per connection: renewals replace the watch instead of adding one.
            auto [known, added] = subscriber_ids_.try_emplace(from.get(), next_subscriber_);
            if (added)
                ++next_subscriber_;
            const std::uint64_t subscriber = known->second;
            subscribers_[subscriber] = from;
            const auto error = node_->on_monitor(subscriber, frame.payload, now);
            from->send(encode_reply(frame.request_id, error ? 401 : 200,
                                    error ? *error : std::string("{}")));
            break;
        }
        default:
            upstream_.erase(id);
            break;
    }
}

void ServiceNodeApp::send_notifications() {
    for (auto& [subscriber, payload] : node_->take_notifications(protocol_now_ms())) {
        const auto it = subscribers_.find(subscriber);
        if (it == subscribers_.end())
            continue;
        if (auto conn = it->second.lock(); conn && !conn->closed())
            conn->send(encode_frame({FrameKind::notify, 0, std::move(payload)}));
        else
            subscribers_.erase(it);
    }
}

std::shared_ptr<Connection> ServiceNodeApp::peer_connection(const crypto::Ed25519PublicKey& peer) {
    if (auto it = peers_.find(peer); it != peers_.end() && !it->second->closed())
        return it->second;
    if (auto it = inbound_peers_.find(peer); it != inbound_peers_.end()) {
        if (auto conn = it->second.lock(); conn && !conn->closed())
            return conn;
        inbound_peers_.erase(it);
    }
    const auto* address = directory_->find(peer);
    if (!address)
        return nullptr;
    // The peer may send its own requests back over this connection: handle every frame.
    auto conn = transport_of(GetNode()).connect(
        GetNode(), *address, kNodePort, handshake_round_trips_,
        [this](Connection& c, Frame f) { on_frame(c, std::move(f)); },
        [this, peer](Connection& c) { forget_connection(peers_, peer, c); });
    const auto& self = node_->keys().ed25519.public_key;
    conn->send(encode_frame({FrameKind::peer_hello, 0, std::string(self.begin(), self.end())}));
    conn->close_when_idle(idle_timeout_);
    peers_[peer] = conn;
    return conn;
}

std::shared_ptr<Connection> ServiceNodeApp::server_connection(const std::string& url) {
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t end = url.find_first_of(":/", start);
    const std::string host = url.substr(start, end == std::string::npos ? end : end - start);
    if (auto it = servers_.find(host); it != servers_.end() && !it->second->closed())
        return it->second;
    const auto address = directory_->servers.find(host);
    if (address == directory_->servers.end())
        return nullptr;
    auto conn = transport_of(GetNode()).connect(
        GetNode(), address->second, kServerPort, handshake_round_trips_,
        [this](Connection&, Frame f) { on_server_frame(std::move(f)); },
        [this, host](Connection& c) { forget_connection(servers_, host, c); });
    conn->close_when_idle(idle_timeout_);
    servers_[host] = conn;
    return conn;
}

void ServiceNodeApp::on_server_frame(Frame frame) {
    const auto it = server_pending_.find(frame.request_id);
    if (frame.kind != FrameKind::reply || it == server_pending_.end())
        return;
    Simulator::Remove(it->second);  // answered: its timeout leaves the scheduler (see perform)
    server_pending_.erase(it);
    const auto reply = decode_reply(frame.payload);
    std::optional<node::WireReply> wire;
    if (reply)
        wire = node::WireReply{reply->first, reply->second};
    perform(node_->on_server_reply(frame.request_id, wire, protocol_now_ms()));
}

void ServiceNodeApp::on_peer_frame(Frame frame) {
    if (frame.kind != FrameKind::reply)
        return;
    auto it = pending_.find(frame.request_id);
    if (it == pending_.end())
        return;                     // late: already timed out
    Simulator::Remove(it->second);  // answered (see perform)
    pending_.erase(it);
    const auto reply = decode_reply(frame.payload);
    std::optional<node::WireReply> wire;
    if (reply)
        wire = node::WireReply{reply->first, reply->second};
    perform(node_->on_peer_reply(frame.request_id, wire, protocol_now_ms()));
}

void ServiceNodeApp::perform(node::Actions actions) {
    send_notifications();
    for (auto& action : actions) {
        if (auto* send = std::get_if<node::SendToPeer>(&action)) {
            const auto kind =
                send->channel == node::PeerChannel::onion_request ? FrameKind::peer_onion
                : send->channel == node::PeerChannel::storage_cc  ? FrameKind::peer_storage
                                                                  : FrameKind::peer_data;
            if (send->channel == node::PeerChannel::data_relay)
                resync_bytes_ += send->payload.size();
            const std::uint64_t id = send->request_id;
            const auto timeout = MilliSeconds(send->timeout_ms + send->delay_ms);
            const auto deliver = [this, kind, peer = send->peer, id](std::string payload) {
                if (auto conn = peer_connection(peer))
                    conn->send(encode_frame({kind, id, std::move(payload)}));
            };
            if (send->delay_ms > 0) {
                // A hostile relay holding the layer; a crash in between loses it, as it would.
                Simulator::Schedule(MilliSeconds(send->delay_ms),
                                    [this, deliver, incarnation = incarnation_,
                                     payload = std::move(send->payload)]() mutable {
                                        if (incarnation == incarnation_ && !down_)
                                            deliver(std::move(payload));
                                    });
            } else {
                deliver(std::move(send->payload));
            }
            if (!send->expects_reply)
                continue;
            // An unreachable peer answers nothing: the request times out, as in reality. An
            // answer removes the timeout rather than cancelling it: a cancelled event still
            // passes through the scheduler and counts as one, and nearly every relayed request
            // is answered (docs/performance.md).
            pending_[id] = Simulator::Schedule(timeout, [this, id] {
                pending_.erase(id);
                perform(node_->on_peer_reply(id, std::nullopt, protocol_now_ms()));
            });
        } else if (auto* reply = std::get_if<node::Reply>(&action)) {
            auto it = upstream_.find(reply->request_id);
            if (it == upstream_.end())
                continue;
            if (reply->silent) {  // dropped by a hostile node: the asker times out
                upstream_.erase(it);
                continue;
            }
            if (auto conn = it->second.connection.lock()) {
                conn->send(encode_reply(it->second.remote_id, reply->status, reply->body));
            }
            upstream_.erase(it);
        } else {
            auto& post = std::get<node::PostToServer>(action);
            const std::uint64_t id = post.request_id;
            if (auto conn = server_connection(post.url)) {
                conn->send(encode_frame({FrameKind::server_request, id,
                                         std::string(post.body.begin(), post.body.end())}));
            }
            // An unknown host or a silent server: the relay times out, as in reality.
            server_pending_[id] = Simulator::Schedule(MilliSeconds(post.timeout_ms), [this, id] {
                server_pending_.erase(id);
                perform(node_->on_server_reply(id, std::nullopt, protocol_now_ms()));
            });
        }
    }
}

ServiceNodeApp::OpenConnectionCount ServiceNodeApp::OpenConnections() const {
    OpenConnectionCount count;
    const auto open = [](const auto& c) { return c && !c->closed(); };
    for (const auto& [key, c] : peers_)
        count.dialled += open(c);
    for (const auto& [host, c] : servers_)
        count.dialled += open(c);
    for (const auto& c : inbound_)
        count.accepted += open(c);
    return count;
}

void ServiceNodeApp::cleanup() {
    expired_trace_(static_cast<std::uint32_t>(node_->on_cleanup_timer(protocol_now_ms())));
    // Connections close themselves when idle (close_when_idle) and leave their maps then.
    cleanup_event_ =
        Simulator::Schedule(MilliSeconds(storage::kCleanupPeriod), &ServiceNodeApp::cleanup, this);
}

}  // namespace sessionsim::apps
