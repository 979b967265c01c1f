// ns-3 Application for a service node: node::ServiceNode over framed TCP connections. It keeps
// one persistent connection per peer (opened on first use, closed after IdleTimeout), maps
// request ids between connections and the node, enforces the node's timeouts, runs the 10 s
// expiry sweep, and charges a processing delay per request handled.
#pragma once

#include <map>
#include <memory>
#include <unordered_map>

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/nstime.h>
#include <ns3/socket.h>
#include <ns3/traced-callback.h>

#include "models/common/key_hash.h"
#include "models/crypto/random.h"
#include "models/node/service_node.h"
#include "models/storage/limits.h"
#include "sim/apps/connection.h"
#include "sim/apps/directory.h"

namespace sessionsim::apps {

/// One onion layer as the node handling it saw it: when, from which address (the client's, if
/// this node is its guard; else the previous node's), and what the layer told it.
struct HopRecord {
    ns3::Time time;
    crypto::Ed25519PublicKey node{};
    std::uint32_t from_ipv4 = 0;
    std::uint64_t request_id = 0;  ///< the id the sender gave the request on this link
    node::HopView view;
};

class ServiceNodeApp : public ns3::Application {
public:
    using HopTracedCallback = void (*)(const HopRecord&);
    /// The message's storage hash, when this node's store took it in.
    using StoredTracedCallback = void (*)(const std::string&);

    static ns3::TypeId GetTypeId();
    ServiceNodeApp() = default;

    /// Must be called before the application starts.
    void Configure(node::NodeKeys keys, std::shared_ptr<const NodeDirectory> directory,
                   std::uint64_t seed);
    /// Makes the node hostile (models/node/misbehaviour.h), across restarts too.
    void SetMisbehaviour(node::MisbehaviourPlan plan);
    /// What the node's misbehaviour did, every incarnation together.
    node::MisbehaviourCounters Misdeeds() const;
    /// A block changed the swarms: hand the node the new view and deliver its pushes.
    void UpdateSwarms(std::shared_ptr<const storage::SwarmView> view);

    node::ServiceNode& Node() { return *node_; }
    const node::ServiceNode& Node() const { return *node_; }

    /// The host crashed: every connection and request in flight is gone, and so is what the
    /// storage server held in memory. With keep_database the message database survives (the
    /// real server keeps it in SQLite on disk); without it the node comes back empty.
    void Crash(bool keep_database);
    /// The host is back: the server starts again, learns the current swarms (silently, as on
    /// any start-up) and accepts connections.
    void Recover();
    bool IsDown() const { return down_; }
    /// Connections open now: those this node dialled (to peers and servers) and those it
    /// accepted (from clients and peers). Each is a TCP socket with its state and endpoint.
    struct OpenConnectionCount {
        std::size_t dialled = 0;
        std::size_t accepted = 0;
    };
    OpenConnectionCount OpenConnections() const;
    /// Bytes of message data this node pushed to others on swarm changes (sn.data re-syncs).
    std::uint64_t ResyncBytes() const { return resync_bytes_; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

private:
    struct Upstream {
        std::weak_ptr<Connection> connection;
        std::uint64_t remote_id;
    };

    void on_frame(Connection& from, Frame frame);
    void handle(std::shared_ptr<Connection> from, Frame frame);
    void perform(node::Actions actions);
    std::shared_ptr<Connection> peer_connection(const crypto::Ed25519PublicKey& peer);
    /// A connection to the external server named in `url` (protocol://host[:port]target), or
    /// null if no such host exists in the simulated Internet.
    std::shared_ptr<Connection> server_connection(const std::string& url);
    void on_server_frame(Frame frame);
    /// Hands the push servers watching this node the messages stored since the last call.
    void send_notifications();
    void on_peer_frame(Frame frame);
    void cleanup();
    /// Stops timers and ends every connection: gracefully, or as a crash would (no FIN).
    void shut_down(bool crash);

    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<node::ServiceNode> node_;
    std::shared_ptr<const NodeDirectory> directory_;
    std::unique_ptr<Listener> listener_;
    std::vector<std::shared_ptr<Connection>> inbound_;
    /// Dialled, by the peer's key. Unordered: looked up for every relayed layer, with up to
    /// 2,000 peers each (shut_down ends them in key order, as before).
    std::unordered_map<crypto::Ed25519PublicKey, std::shared_ptr<Connection>, RandomKeyHash> peers_;
    /// Connections other nodes dialled to us, by their key (from peer_hello). As OxenMQ does,
    /// a node sends to a peer over any open connection with it, in either direction, and dials
    /// only when there is none.
    std::unordered_map<crypto::Ed25519PublicKey, std::weak_ptr<Connection>, RandomKeyHash>
        inbound_peers_;
    std::map<std::string, std::shared_ptr<Connection>> servers_;  ///< by host
    std::map<std::uint64_t, ns3::EventId> server_pending_;
    std::map<std::uint64_t, std::weak_ptr<Connection>> subscribers_;  ///< monitor.messages
    std::map<const Connection*, std::uint64_t> subscriber_ids_;
    std::uint64_t next_subscriber_ = 1;
    std::map<std::uint64_t, Upstream> upstream_;     // our id for an incoming request
    std::map<std::uint64_t, ns3::EventId> pending_;  // our outgoing requests -> timeout
    std::uint64_t next_upstream_id_ = 1;
    ns3::EventId cleanup_event_;
    ns3::Time processing_delay_;
    ns3::Time idle_timeout_;
    int handshake_round_trips_ = 0;
    bool down_ = false;
    node::MisbehaviourPlan misbehaviour_;
    node::MisbehaviourCounters past_misdeeds_;  ///< of incarnations before a crash
    std::uint64_t incarnation_ = 0;  ///< bumps on each crash: work scheduled before it is void
    std::uint64_t resync_bytes_ = 0;
    ns3::TracedCallback<std::uint32_t> expired_trace_;
    ns3::TracedCallback<const HopRecord&> hop_trace_;
    ns3::TracedCallback<const std::string&> stored_trace_;
    bool watching_stores_ = false;
    std::uint32_t handling_from_ = 0;     ///< the address of the request being handled
    std::uint64_t handling_request_ = 0;  ///< and its id on that link
    bool watching_hops_ = false;
    void watch_hops();
};

}  // namespace sessionsim::apps
