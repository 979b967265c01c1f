// ns-3 Application for a Session client: client::Client over one persistent connection per
// guard (or a new connection per request, as desktop makes them). It polls its swarm on the
// client's schedule (first poll at a random offset so clients do not march in step), sends what the
// workload asks, enforces request timeouts, and reports every onion request and message outcome to
// an observer (the metrics collectors).
#pragma once

#include <functional>
#include <map>
#include <memory>

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include "models/client/client.h"
#include "sim/apps/connection.h"
#include "sim/apps/directory.h"

namespace sessionsim::apps {

struct PlatformFrontends;

struct RequestRecord {
    std::uint64_t request_id = 0;
    crypto::Ed25519PublicKey guard{};
    crypto::Ed25519PublicKey destination{};
    ns3::Time start;
    ns3::Time end;
    int status = 0;        ///< HTTP-level status from the guard; 0 = timed out
    std::size_t hops = 0;  ///< onion path length; 0 = a direct request
    bool probe = false;    ///< a latency probe rather than client traffic
};

struct ClientObserver {
    std::function<void(const RequestRecord&)> request;
    std::function<void(const client::MessageStored&)> stored;
    std::function<void(const client::MessageFailed&)> failed;
    std::function<void(const client::MessageReceived&)> received;
};

class ClientApp : public ns3::Application {
public:
    static ns3::TypeId GetTypeId();
    ClientApp() = default;

    void Configure(identity::Identity identity, const client::ClientConfig& config,
                   std::shared_ptr<const NodeDirectory> directory, std::uint64_t seed,
                   ClientObserver observer);

    /// Sends a text message now; returns the message id the observer will report on.
    std::uint64_t SendText(const identity::AccountId& recipient, const std::string& text,
                           const std::vector<message::AttachmentPointer>& attachments = {});
    /// The user opens the app (foreground) or leaves it (background).
    void SetForeground(bool foreground);
    /// Joins a group: its swarm is polled on the group schedule from now on.
    void JoinGroup(const client::GroupInvite& invite);
    /// Sends a text message to a group this client belongs to; returns its message id.
    std::uint64_t SendGroupText(const identity::AccountId& group, const std::string& text);
    /// As the group's admin: stores a keys message, or revokes a removed member's token.
    std::uint64_t PushGroupKeys(const group::GroupAdmin& admin, const group::KeysMessage& keys);
    std::uint64_t RevokeGroupMember(const group::GroupAdmin& admin,
                                    const storage::SubaccountToken& token);
    /// A v4 request to an external server through the client's onion paths; `done` gets the
    /// answer (code 0 if it failed on the way).
    using ServerCallback = std::function<void(const client::ServerReplied&)>;
    void ServerRequest(const onion::ServerKeys& server, const onion::V4Request& request,
                       ServerCallback done, std::optional<std::int64_t> timeout_ms = std::nullopt);
    /// Push mode: `subscribe_after` the start, register a device token with the platform push
    /// service (at the front-end the token maps to) and subscribe through `push_server` (an
    /// onion request); notifications then deliver messages (or trigger a poll). Background
    /// polling keeps its configured interval.
    void EnablePush(const PlatformFrontends& platform, const onion::ServerKeys& push_server,
                    std::string service, ns3::Time subscribe_after = ns3::Time());
    bool PushSubscribed() const { return push_subscribed_; }
    const std::string& PushToken() const { return push_token_; }
    /// A latency probe to `target` over `hops` onion hops (0: direct).
    void Probe(const client::NodeInfo& target, std::size_t hops);
    const client::Client& Client() const { return *client_; }
    /// Times the pool was refetched (cache expiry, or strikes left too few nodes).
    std::uint64_t PoolRefreshes() const { return client_->counters().pool_refreshes; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

private:
    void process(client::ClientEvents events);
    void poll();
    /// The node list as a fetch returns it now: the active nodes and their swarms.
    client::NodePool fetched_pool() const;
    /// Schedules the next poll when the client wants it, if that is sooner than the one pending
    /// (a group joined, a push without its message, a poll that just ended).
    void reschedule_poll();
    std::uint64_t queued(std::pair<std::uint64_t, client::ClientEvents> sent);
    std::map<std::uint64_t, ServerCallback> server_callbacks_;
    void start_push();
    void on_platform_frame(Frame frame);
    std::optional<ns3::Ipv4Address> platform_;
    onion::ServerKeys push_server_;
    std::string push_service_, push_token_;
    FixedBytes<32> push_key_{};
    std::shared_ptr<Connection> platform_connection_;
    ns3::Time push_start_;
    ns3::EventId push_start_event_;
    bool push_subscribed_ = false;
    /// How long a connection may sit unused before it closes (probed nodes and former guards
    /// leave connections behind; a backgrounded app is suspended).
    ns3::Time current_idle_timeout() const;
    void on_frame(Frame frame);
    void finish(std::uint64_t request_id, std::optional<node::WireReply> reply);
    std::shared_ptr<Connection> node_connection(const client::NodeInfo& node);
    /// The connection to `node` closed without the client closing it: with liveness watched,
    /// the requests on it end at once (a lost QUIC connection's streams do); the client is told.
    void connection_lost(const crypto::Ed25519PublicKey& node);
    /// A new connection to `node` for request `id` alone, closed once it is answered.
    std::shared_ptr<Connection> request_connection(std::uint64_t id, const client::NodeInfo& node);
    void start_request(std::uint64_t id, RequestRecord record, std::int64_t timeout_ms,
                       const client::NodeInfo& to, Frame frame);

    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<client::Client> client_;
    std::shared_ptr<const NodeDirectory> directory_;
    ClientObserver observer_;
    /// One persistent connection per node: guards, and nodes probed directly.
    std::map<crypto::Ed25519PublicKey, std::shared_ptr<Connection>> connections_;
    std::map<std::uint64_t, std::pair<RequestRecord, ns3::EventId>> in_flight_;
    /// With PerRequestConnections: each request's own connection until it is answered.
    std::map<std::uint64_t, std::shared_ptr<Connection>> request_connections_;
    ns3::EventId poll_event_;
    bool polling_ = true;
    bool polling_started_ = false;
    bool per_request_connections_ = false;
    int handshake_round_trips_ = 1;
    ns3::Time idle_timeout_;
    ns3::Time background_idle_timeout_;
    ns3::Time keep_alive_, liveness_timeout_, handshake_timeout_;  ///< Connection::Liveness
    bool background_phone_ = false;
};

}  // namespace sessionsim::apps
