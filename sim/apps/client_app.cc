#include "sim/apps/client_app.h"

#include "sim/apps/push_apps.h"

#include <ns3/boolean.h>
#include <ns3/integer.h>
#include <ns3/simulator.h>
#include <ns3/uinteger.h>
#include <utility>

#include "models/client/driver_config.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(ClientApp);

using namespace ns3;

TypeId ClientApp::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::ClientApp")
            .SetParent<Application>()
            .SetGroupName("sessionsim")
            .AddConstructor<ClientApp>()
            .AddAttribute("Polling", "Poll the own swarm on the client's interval",
                          BooleanValue(true), MakeBooleanAccessor(&ClientApp::polling_),
                          MakeBooleanChecker())
            .AddAttribute("PerRequestConnections",
                          "Open a new connection for each request and close it once answered "
                          "(session desktop), instead of keeping one per node",
                          BooleanValue(client::DriverConfig{}.reuse ==
                                       client::DriverConfig::Reuse::per_request),
                          MakeBooleanAccessor(&ClientApp::per_request_connections_),
                          MakeBooleanChecker())
            .AddAttribute("IdleTimeout",
                          "While the app is open: close a connection to a node unused this long "
                          "(guards in use never are: the client polls through them every few "
                          "seconds)",
                          TimeValue(MilliSeconds(client::DriverConfig{}.idle_timeout_ms)),
                          MakeTimeAccessor(&ClientApp::idle_timeout_), MakeTimeChecker())
            .AddAttribute(
                "BackgroundIdleTimeout",
                "While the app is in the background: close a connection this long "
                "after its last use. The phone's OS suspends an app soon after a "
                "background fetch or push wakes it (iOS allows about 30 s), and a "
                "suspended app's connections go silent until the node drops them",
                TimeValue(MilliSeconds(client::DriverConfig{}.background_idle_timeout_ms)),
                MakeTimeAccessor(&ClientApp::background_idle_timeout_), MakeTimeChecker())
            .AddAttribute("BackgroundPhone",
                          "The app stays in the background all run (client.mode background_poll "
                          "or push, for the phones that are not active)",
                          BooleanValue(false), MakeBooleanAccessor(&ClientApp::background_phone_),
                          MakeBooleanChecker())
            .AddAttribute("HandshakeRoundTrips",
                          "Extra round trips to open a connection to a guard (TLS over TCP: 1)",
                          IntegerValue(client::DriverConfig{}.handshake_round_trips),
                          MakeIntegerAccessor(&ClientApp::handshake_round_trips_),
                          MakeIntegerChecker<int>(0, 5))
            .AddAttribute("KeepAlive",
                          "Send a keep-alive ping on a connection to a node silent this long "
                          "(QUIC PING; 0: never)",
                          TimeValue(MilliSeconds(client::DriverConfig{}.keep_alive_ms)),
                          MakeTimeAccessor(&ClientApp::keep_alive_), MakeTimeChecker())
            .AddAttribute("LivenessTimeout",
                          "Give a connection to a node up once data sent on it has waited this "
                          "long for an acknowledgement (QUIC's idle timeout; 0: never); its "
                          "requests then fail at once and the client is told",
                          TimeValue(MilliSeconds(client::DriverConfig{}.liveness_timeout_ms)),
                          MakeTimeAccessor(&ClientApp::liveness_timeout_), MakeTimeChecker())
            .AddAttribute("HandshakeTimeout",
                          "Give a connection to a node up if it has not opened this long after "
                          "it was started (0: TCP's own connect retries decide)",
                          TimeValue(MilliSeconds(client::DriverConfig{}.handshake_timeout_ms)),
                          MakeTimeAccessor(&ClientApp::handshake_timeout_), MakeTimeChecker());
    return tid;
}

void ClientApp::Configure(identity::Identity identity, const client::ClientConfig& config,
                          std::shared_ptr<const NodeDirectory> directory, std::uint64_t seed,
                          ClientObserver observer) {
    random_ =
        std::make_unique<crypto::SeededRandom>(seed, "client " + identity.session_id().to_hex());
    directory_ = std::move(directory);
    observer_ = std::move(observer);
    client_ =
        std::make_unique<client::Client>(std::move(identity), config, fetched_pool(), *random_);
    client_->set_pool_fetched(protocol_now_ms());
}

void ClientApp::StartApplication() {
    if (platform_)
        push_start_event_ = Simulator::Schedule(push_start_, &ClientApp::start_push, this);
    if (!polling_)
        return;
    // Desynchronise clients: the first poll falls anywhere in the first interval (a phone in the
    // background is as likely to be anywhere in its 15-minute cycle when the run starts).
    const auto offset =
        static_cast<std::int64_t>(random_->uniform(client_->config().poll_interval_ms));
    polling_started_ = true;
    poll_event_ = Simulator::Schedule(MilliSeconds(offset), &ClientApp::poll, this);
}

void ClientApp::StopApplication() {
    poll_event_.Cancel();
    push_start_event_.Cancel();
    for (auto& [id, entry] : in_flight_)
        entry.second.Cancel();
    in_flight_.clear();
    polling_started_ = false;
    // Closing runs the close handlers, which edit connections_: empty it first.
    for (auto& [node, conn] : std::exchange(connections_, {}))
        conn->close();
    for (auto& [id, conn] : std::exchange(request_connections_, {}))
        conn->close();
}

void ClientApp::DoDispose() {
    connections_.clear();
    request_connections_.clear();
    Application::DoDispose();
}

std::uint64_t ClientApp::queued(std::pair<std::uint64_t, client::ClientEvents> sent) {
    process(std::move(sent.second));
    return sent.first;
}

std::uint64_t ClientApp::SendText(const identity::AccountId& recipient, const std::string& text,
                                  const std::vector<message::AttachmentPointer>& attachments) {
    return queued(client_->send_text(recipient, text, protocol_now_ms(), attachments));
}

void ClientApp::ServerRequest(const onion::ServerKeys& server, const onion::V4Request& request,
                              ServerCallback done, std::optional<std::int64_t> timeout_ms) {
    auto [id, events] = client_->server_request(server, request, protocol_now_ms(), timeout_ms);
    server_callbacks_[id] = std::move(done);
    process(std::move(events));
}

void ClientApp::EnablePush(const PlatformFrontends& platform, const onion::ServerKeys& push_server,
                           std::string service, Time subscribe_after) {
    push_server_ = push_server;
    push_service_ = std::move(service);
    const auto token = random_->bytes<32>();
    push_token_ = to_hex(token);  // APNs tokens are 64 hex characters
    push_key_ = random_->bytes<32>();
    platform_ = platform.for_token(push_token_);
    push_start_ = subscribe_after;
}

void ClientApp::start_push() {
    platform_connection_ = transport_of(GetNode()).connect(
        GetNode(), *platform_, kPlatformPort, handshake_round_trips_,
        [this](Connection&, Frame f) { on_platform_frame(std::move(f)); }, {});
    platform_connection_->send(encode_frame({FrameKind::platform_register, 0, push_token_}));
    const auto body =
        client_->push_subscription(push_service_, push_token_, push_key_, protocol_now_ms());
    ServerRequest(push_server_,
                  {"POST", "/subscribe", nlohmann::json::object(), body.to_json().dump()},
                  [this](const client::ServerReplied& r) { push_subscribed_ = r.code == 200; });
}

void ClientApp::on_platform_frame(Frame frame) {
    if (frame.kind != FrameKind::platform_push)
        return;
    process(client_->on_push(frame.payload, push_key_, protocol_now_ms()));
    reschedule_poll();
}

void ClientApp::SetForeground(bool foreground) {
    client_->set_background(!foreground, protocol_now_ms());
    for (auto& [node, conn] : connections_)
        conn->close_when_idle(current_idle_timeout());
    reschedule_poll();
}

ns3::Time ClientApp::current_idle_timeout() const {
    return background_phone_ || client_->background() ? background_idle_timeout_ : idle_timeout_;
}

void ClientApp::JoinGroup(const client::GroupInvite& invite) {
    client_->join_group(invite, protocol_now_ms());
    reschedule_poll();
}

std::uint64_t ClientApp::SendGroupText(const identity::AccountId& group, const std::string& text) {
    return queued(client_->send_group_text(group, text, protocol_now_ms()));
}

std::uint64_t ClientApp::PushGroupKeys(const group::GroupAdmin& admin,
                                       const group::KeysMessage& keys) {
    return queued(client_->push_group_keys(admin, keys, protocol_now_ms()));
}

std::uint64_t ClientApp::RevokeGroupMember(const group::GroupAdmin& admin,
                                           const storage::SubaccountToken& token) {
    return queued(client_->revoke_group_member(admin, token, protocol_now_ms()));
}

void ClientApp::reschedule_poll() {
    if (!polling_started_)
        return;  // StartApplication schedules the first poll
    if (client_->next_poll_ms() == client::kNoPollScheduled)
        return;  // the poll still out sets the next one when it ends
    const std::int64_t next = client_->next_poll_ms() - protocol_now_ms();
    if (poll_event_.IsRunning() &&
        MilliSeconds(std::max<std::int64_t>(next, 1)) >= Simulator::GetDelayLeft(poll_event_))
        return;
    poll_event_.Cancel();
    poll_event_ =
        Simulator::Schedule(MilliSeconds(std::max<std::int64_t>(next, 1)), &ClientApp::poll, this);
}

void ClientApp::poll() {
    // The pool comes from the chain's current list (what get_service_nodes would return; the
    // fetch itself is not simulated as traffic).
    if (client_->pool_refresh_due(protocol_now_ms()))
        client_->refresh_pool(fetched_pool(), protocol_now_ms());
    process(client_->poll(protocol_now_ms()));
    const std::int64_t next_ms = client_->next_poll_ms();
    if (next_ms == client::kNoPollScheduled)
        return;  // the poll's end schedules the next (reschedule_poll, from finish)
    const std::int64_t next = next_ms - protocol_now_ms();
    poll_event_ =
        Simulator::Schedule(MilliSeconds(std::max<std::int64_t>(next, 1)), &ClientApp::poll, this);
}

client::NodePool ClientApp::fetched_pool() const {
    client::NodePool pool = directory_->pool;  // shares the directory's snapshot
    pool.set_swarms(directory_->swarms);       // the list names each node's swarm
    return pool;
}

void ClientApp::Probe(const client::NodeInfo& target, std::size_t hops) {
    process(client_->probe(target, hops, protocol_now_ms()));
}

std::shared_ptr<Connection> ClientApp::node_connection(const client::NodeInfo& guard) {
    if (auto it = connections_.find(guard.ed25519);
        it != connections_.end() && !it->second->closed())
        return it->second;
    const auto* address = directory_->find(guard.ed25519);
    if (!address)
        return nullptr;
    const auto key = guard.ed25519;
    auto conn = transport_of(GetNode()).connect(
        GetNode(), *address, kNodePort, handshake_round_trips_,
        [this](Connection&, Frame f) { on_frame(std::move(f)); },
        [this, key](Connection& c) {
            forget_connection(connections_, key, c);
            if (c.close_cause() != Connection::CloseCause::closed_here)
                connection_lost(key);
        });
    conn->close_when_idle(current_idle_timeout());
    const Connection::Liveness liveness{keep_alive_, liveness_timeout_, handshake_timeout_};
    if (liveness.keep_alive.IsStrictlyPositive() || liveness.timeout.IsStrictlyPositive() ||
        liveness.handshake_timeout.IsStrictlyPositive())
        conn->watch_liveness(liveness);
    connections_[key] = conn;
    return conn;
}

void ClientApp::connection_lost(const crypto::Ed25519PublicKey& node) {
    // The client first, so that the requests ended below are retried on the remaining paths.
    process(client_->on_connection_lost(node, protocol_now_ms()));
    if (!liveness_timeout_.IsStrictlyPositive() && !handshake_timeout_.IsStrictlyPositive())
        return;  // TCP without liveness: the requests wait for their own timeout, as before
    std::vector<std::uint64_t> ended;
    for (const auto& [id, entry] : in_flight_) {
        if (entry.first.guard == node && !request_connections_.contains(id))
            ended.push_back(id);
    }
    for (const auto id : ended)
        finish(id, std::nullopt);
}

std::shared_ptr<Connection> ClientApp::request_connection(std::uint64_t id,
                                                          const client::NodeInfo& node) {
    const auto* address = directory_->find(node.ed25519);
    if (!address)
        return nullptr;
    auto conn = transport_of(GetNode()).connect(
        GetNode(), *address, kNodePort, handshake_round_trips_,
        [this](Connection&, Frame f) { on_frame(std::move(f)); },
        [this, id](Connection& c) { forget_connection(request_connections_, id, c); });
    request_connections_[id] = conn;
    return conn;
}

void ClientApp::start_request(std::uint64_t id, RequestRecord record, std::int64_t timeout_ms,
                              const client::NodeInfo& to, Frame frame) {
    const auto timeout =
        Simulator::Schedule(MilliSeconds(timeout_ms), [this, id] { finish(id, std::nullopt); });
    in_flight_[id] = {record, timeout};
    if (auto conn = per_request_connections_ ? request_connection(id, to) : node_connection(to))
        conn->send(encode_frame(frame));
}

void ClientApp::process(client::ClientEvents events) {
    for (auto& event : events) {
        if (auto* send = std::get_if<client::SendOnion>(&event)) {
            start_request(send->request_id,
                          {send->request_id,
                           send->guard.ed25519,
                           send->destination,
                           Simulator::Now(),
                           {},
                           0,
                           send->hops,
                           send->probe},
                          send->timeout_ms, send->guard,
                          {FrameKind::onion_request, send->request_id,
                           std::string(send->body.begin(), send->body.end())});
        } else if (auto* direct = std::get_if<client::SendDirect>(&event)) {
            start_request(direct->request_id,
                          {direct->request_id,
                           direct->node.ed25519,
                           direct->node.ed25519,
                           Simulator::Now(),
                           {},
                           0,
                           0,
                           direct->probe},
                          direct->timeout_ms, direct->node,
                          {FrameKind::direct_rpc, direct->request_id, std::move(direct->body)});
        } else if (auto* stored = std::get_if<client::MessageStored>(&event)) {
            if (observer_.stored)
                observer_.stored(*stored);
        } else if (auto* failed = std::get_if<client::MessageFailed>(&event)) {
            if (observer_.failed)
                observer_.failed(*failed);
        } else if (auto* received = std::get_if<client::MessageReceived>(&event)) {
            if (observer_.received)
                observer_.received(*received);
        } else if (auto* answer = std::get_if<client::ServerReplied>(&event)) {
            if (auto it = server_callbacks_.find(answer->request_id);
                it != server_callbacks_.end()) {
                const auto done = std::move(it->second);
                server_callbacks_.erase(it);
                done(*answer);
            }
        }
    }
}

void ClientApp::on_frame(Frame frame) {
    if (frame.kind != FrameKind::reply)
        return;
    const auto reply = decode_reply(frame.payload);
    if (!reply)
        return;
    finish(frame.request_id, node::WireReply{reply->first, reply->second});
}

void ClientApp::finish(std::uint64_t request_id, std::optional<node::WireReply> reply) {
    auto it = in_flight_.find(request_id);
    if (it == in_flight_.end())
        return;  // already timed out, or a late reply
    auto [record, timeout] = std::move(it->second);
    in_flight_.erase(it);
    // Removed rather than cancelled: a cancelled event still passes through the scheduler and
    // counts as one, and nearly every request is answered (docs/performance.md).
    Simulator::Remove(timeout);
    if (auto conn = request_connections_.extract(request_id))
        conn.mapped()->close();  // answered (or given up on): its connection is done
    record.end = Simulator::Now();
    record.status = reply ? reply->status : 0;
    if (observer_.request)
        observer_.request(record);
    process(client_->on_reply(request_id, reply, protocol_now_ms()));
    if (polling_started_ && !poll_event_.IsRunning())
        reschedule_poll();  // a poll that just ended (after_completion) sets the next one
}

}  // namespace sessionsim::apps
