// A Session service node's storage-server logic as a sans-I/O state machine: onion hops, the
// final destination's storage RPC, copying recursive requests to the swarm, relaying to
// external servers, and re-homing messages when swarms change (storage server
// service_node.cpp and request_handler.cpp). Events in (with the current time), actions out.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "models/crypto/random.h"
#include "models/node/actions.h"
#include "models/node/hop_view.h"
#include "models/node/misbehaviour.h"
#include "models/onion/hop.h"
#include "models/push/monitor.h"
#include "models/storage/message_store.h"
#include "models/storage/request_handler.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::node {

/// A node's keys: Ed25519 names it in routing and signs its results; X25519 (derived from the
/// Ed25519 key, as clients derive it) decrypts onion layers.
struct NodeKeys {
    crypto::Ed25519KeyPair ed25519;
    crypto::X25519KeyPair x25519;
    static NodeKeys from_seed(const crypto::Ed25519Seed& seed);
};

inline constexpr std::int64_t kOnionRelayTimeoutMs = 30'000;
inline constexpr std::int64_t kServerRelayTimeoutMs = 25'000;

/// Counters for metrics and traces.
struct NodeCounters {
    std::uint64_t onion_requests = 0;     ///< layers peeled (entry or relayed)
    std::uint64_t onion_relayed = 0;      ///< forwarded to the next node
    std::uint64_t rpc_executed = 0;       ///< client requests run as final destination or directly
    std::uint64_t peer_copies = 0;        ///< storage_cc copies handled for swarm peers
    std::uint64_t messages_pushed = 0;    ///< messages sent to other nodes on swarm changes
    std::uint64_t messages_received = 0;  ///< messages stored from sn.data pushes
    std::uint64_t relay_rejected = 0;     ///< sn.data entries refused (bad hash, not ours)
};

class ServiceNode {
public:
    ServiceNode(NodeKeys keys, crypto::RandomSource& random);
    // The store's callback points back here: a node stays where it was made.
    ServiceNode(const ServiceNode&) = delete;
    ServiceNode& operator=(const ServiceNode&) = delete;

    const NodeKeys& keys() const { return keys_; }
    const crypto::Ed25519PublicKey& id() const { return keys_.ed25519.public_key; }
    storage::MessageStore& store() { return store_; }
    /// A restarted storage server opens the database its last run left (churn.keep_database):
    /// the store moves in and reports new messages to this node, not to the one that wrote it.
    void restore_database(storage::MessageStore database);
    const storage::MessageStore& store() const { return store_; }
    const NodeCounters& counters() const { return counters_; }
    const storage::SwarmView& swarms() const { return handler_.swarms(); }

    /// A node that is starting up or decommissioned answers 503 "Snode not ready".
    void set_ready(bool ready) { ready_ = ready; }
    /// Makes this node hostile (misbehaviour.h); nodes are honest unless given a plan.
    void set_misbehaviour(MisbehaviourPlan plan) { misbehaviour_ = std::move(plan); }
    /// What this node's misbehaviour did so far.
    const MisbehaviourCounters& misdeeds() const { return misdeeds_; }
    /// Called with what the node learns from each onion layer it handles (adversary models).
    void set_hop_observer(HopObserver observer) { hop_observer_ = std::move(observer); }
    /// Called with every message this node's store takes in, from a client, a swarm peer's copy
    /// or a push (the simulator's journeys: when each replica arrived).
    void set_store_observer(std::function<void(const storage::StoredMessage&)> observer) {
        store_observer_ = std::move(observer);
    }

    /// monitor.messages from a push server (`subscriber` names its connection): nullopt when
    /// subscribed, else the reason it was refused.
    std::optional<std::string> on_monitor(std::uint64_t subscriber, std::string_view request,
                                          std::int64_t now_ms);
    /// notify.message payloads for the subscribers, for the messages stored since the last call.
    std::vector<std::pair<std::uint64_t, std::string>> take_notifications(std::int64_t now_ms);

    /// Installs the network's new swarms; returns the pushes that move messages to new members
    /// and new owner swarms (the first view installs silently).
    Actions set_swarms(std::shared_ptr<const storage::SwarmView> view);

    /// A client's POST /onion_req/v2 (we are the guard).
    Actions on_onion_request(std::uint64_t request_id, ByteView body, std::int64_t now_ms);
    /// A client's direct POST /storage_rpc/v1.
    Actions on_client_rpc(std::uint64_t request_id, std::string_view body, std::int64_t now_ms);
    /// A request from another node.
    Actions on_peer_request(const crypto::Ed25519PublicKey& from, PeerChannel channel,
                            std::uint64_t request_id, std::string_view payload,
                            std::int64_t now_ms);
    /// The answer to one of our SendToPeer requests (nullopt: timed out or unreachable).
    Actions on_peer_reply(std::uint64_t request_id, const std::optional<WireReply>& reply,
                          std::int64_t now_ms);
    /// The answer to one of our PostToServer requests (nullopt: timed out or failed).
    Actions on_server_reply(std::uint64_t request_id, const std::optional<WireReply>& reply,
                            std::int64_t now_ms);
    /// Database::CLEANUP_PERIOD (10 s): drops expired messages; returns how many.
    std::size_t on_cleanup_timer(std::int64_t now_ms) { return store_.clean_expired(now_ms); }

private:
    struct Upstream {
        std::uint64_t request_id;
        bool from_peer;
    };
    struct FanoutWait {
        Upstream upstream;
        std::optional<onion::ExecuteRequest> onion;
        storage::Pending pending;
        std::vector<std::map<crypto::Ed25519PublicKey, storage::PeerAnswer>> answers;
        std::size_t outstanding = 0;
    };
    struct FanoutRequest {
        std::uint64_t wait_id;
        std::size_t fanout;
        crypto::Ed25519PublicKey peer;
    };

    Actions handle_layer(const onion::LayerEnvelope& layer, Upstream upstream, std::int64_t now);
    void observe(const onion::LayerEnvelope& layer, const Upstream& upstream,
                 const onion::HopAction& action, std::uint64_t forwarded_as) const;
    Actions run_rpc(storage::RpcOutcome outcome, Upstream upstream,
                    std::optional<onion::ExecuteRequest> onion, std::int64_t now);
    Action reply_rpc(Upstream upstream, const storage::RpcResponse& response,
                     const std::optional<onion::ExecuteRequest>& onion);
    Actions finish_fanout(std::uint64_t wait_id, std::int64_t now);
    Actions push_messages(const std::vector<const storage::StoredMessage*>& messages,
                          const std::vector<storage::NodeContact>& to);
    std::size_t accept_relayed(std::string_view batch);
    std::uint64_t next_id() { return next_request_id_++; }
    // Hostile behaviour (service_node_misbehaviour.cc). Each draws only if the plan is `kind`.
    bool spoils(Misbehaviour kind);
    /// The silent answer that drops request `request_id`, if the plan is drop.
    std::optional<Reply> maybe_drop(std::uint64_t request_id, bool from_peer);
    /// Flips one byte of `bytes` (an onion layer or reply) if the plan is corrupt.
    void maybe_corrupt(std::string& bytes);
    /// A relayed layer, as the plan has it: dropped (silent), held, corrupted or replayed.
    Actions relay(SendToPeer send, const Upstream& upstream);
    /// As the destination of an onion request: the hostile answer, or nullopt to answer honestly.
    std::optional<Actions> misbehave_as_destination(const onion::ExecuteRequest& request,
                                                    const Upstream& upstream, std::int64_t now);
    /// A swarm peer's copy of a recursive request: dropped, or a store acknowledged unstored.
    std::optional<Actions> misbehave_as_peer(std::uint64_t request_id,
                                             const nlohmann::json& request, std::int64_t now);
    /// {"hash", "signature", "expiry"} for a store this node pretends to have made, or nullopt if
    /// the params do not name a message.
    std::optional<nlohmann::json> forged_store_result(const nlohmann::json& params,
                                                      std::int64_t now) const;
    /// Points the store's creation callback at this node (swarm monitoring).
    void watch_store();

    NodeKeys keys_;
    crypto::RandomSource& random_;
    storage::MessageStore store_;
    storage::RequestHandler handler_;
    bool ready_ = true;
    HopObserver hop_observer_;
    std::function<void(const storage::StoredMessage&)> store_observer_;
    MisbehaviourPlan misbehaviour_;
    MisbehaviourCounters misdeeds_;
    bool has_view_ = false;
    NodeCounters counters_;
    std::uint64_t next_request_id_ = 1;
    std::map<std::uint64_t, Upstream> relays_;
    std::map<std::uint64_t, FanoutWait> fanout_waits_;
    std::map<std::uint64_t, FanoutRequest> fanout_requests_;
    push::MonitorTable monitors_;
    std::set<identity::AccountId> monitored_;        ///< accounts someone watches
    std::vector<storage::StoredMessage> to_notify_;  ///< new messages of monitored accounts
};

}  // namespace sessionsim::node
