// A Session client as a sans-I/O state machine: it sends one-to-one messages to the
// recipient's swarm and polls its own, every request through an onion path. The driver (ns-3
// app or testbed) delivers its SendOnion actions to the guard and feeds back what came back.
//   send:  swarm known? -> store to one random member through a path that avoids it;
//          421 -> take the swarm from the reply and retry; path failures -> strikes, retry
//   poll:  every poll_interval, 2 random swarm members, one batch of signed retrieves (one per
//          namespace) each, last_hash per (node, namespace), merged and de-duplicated
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/client/client_config.h"
#include "models/client/group_membership.h"
#include "models/client/node_pool.h"
#include "models/client/path_manager.h"
#include "models/client/poll_state.h"
#include "models/client/swarm_cache.h"
#include "models/identity/keys.h"
#include "models/message/one_to_one.h"
#include "models/node/actions.h"
#include "models/onion/builder.h"
#include "models/onion/layer_key.h"
#include "models/onion/response.h"
#include "models/push/push_server.h"

namespace sessionsim::client {

/// POST `body` to `guard`'s /onion_req/v2; answer with Client::on_reply(request_id, …), or
/// nullopt after timeout_ms.
struct SendOnion {
    std::uint64_t request_id = 0;
    NodeInfo guard;
    Bytes body;
    std::int64_t timeout_ms = 0;
    crypto::Ed25519PublicKey destination{};  ///< for traces: the swarm member asked
    std::size_t hops = 0;                    ///< path length, guard included
    bool probe = false;                      ///< a latency probe, not client traffic
};
/// POST `body` to `node`'s /storage_rpc/v1 directly (no onion: the node sees the client's
/// address). Used for latency probes; answer with on_reply as for SendOnion.
struct SendDirect {
    std::uint64_t request_id = 0;
    NodeInfo node;
    std::string body;
    std::int64_t timeout_ms = 0;
};
struct MessageStored {
    std::uint64_t message_id = 0;
    std::string hash;
    int attempts = 0;
    std::int64_t at_ms = 0;
    crypto::Ed25519PublicKey acked_by{};  ///< the swarm member whose answer said "stored"
};
struct MessageFailed {
    std::uint64_t message_id = 0;
    std::string reason;
};
struct MessageReceived {
    message::ReceivedText message;
    std::string hash;
    std::int64_t at_ms = 0;
    std::optional<identity::AccountId> group;  ///< set for a group message
};
/// The answer of an external server (file server, push server) reached through an onion: code
/// 0 when the request failed on the way (timeout, unreachable server, unreadable reply).
struct ServerReplied {
    std::uint64_t request_id = 0;
    int code = 0;
    std::string body;
    std::string error;
};
using ClientEvent = std::variant<SendOnion, SendDirect, MessageStored, MessageFailed,
                                 MessageReceived, ServerReplied>;
using ClientEvents = std::vector<ClientEvent>;

struct ClientCounters {
    std::uint64_t requests = 0, timeouts = 0, swarm_fetches = 0, wrong_swarm = 0;
    std::uint64_t polls = 0, duplicates_dropped = 0, undecryptable = 0;
    std::uint64_t pushes = 0, pushed_messages = 0;  ///< notifications; messages they carried
    /// 200 answers whose body was unusable (fields missing or of the wrong type): the node
    /// that wrote it is struck.
    std::uint64_t bad_replies = 0;
    /// Store acknowledgements refused by the store_ack_signatures check.
    std::uint64_t acks_rejected = 0;
};

class Client {
public:
    Client(identity::Identity identity, ClientConfig config, NodePool pool,
           crypto::RandomSource& random, std::vector<storage::Namespace> poll_namespaces = {0});

    const identity::Identity& identity() const { return identity_; }
    const PathManager& paths() const { return paths_; }
    const ClientCounters& counters() const { return counters_; }
    NodePool& pool() { return pool_; }

    /// Queues a text message; returns its id and the requests to make now.
    std::pair<std::uint64_t, ClientEvents> send_text(
        const identity::AccountId& recipient, std::string_view text, std::int64_t now_ms,
        const std::vector<message::AttachmentPointer>& attachments = {});
    /// Joins a group: its swarm is polled from now on, on the group schedule.
    void join_group(const GroupInvite& invite, std::int64_t now_ms);
    const GroupMembership* group(const identity::AccountId& account) const;
    /// Queues a text message to a group this client belongs to: namespace 11, signed with the
    /// member's subaccount. Throws InvalidInput if not a member or no group key is known yet.
    std::pair<std::uint64_t, ClientEvents> send_group_text(const identity::AccountId& group,
                                                           std::string_view text,
                                                           std::int64_t now_ms);
    /// As the group's admin: stores a keys message in namespace 12, signed with the group key.
    std::pair<std::uint64_t, ClientEvents> push_group_keys(const group::GroupAdmin& admin,
                                                           const group::KeysMessage& keys,
                                                           std::int64_t now_ms);
    /// As the group's admin: revoke_subaccount for a removed member's token.
    std::pair<std::uint64_t, ClientEvents> revoke_group_member(
        const group::GroupAdmin& admin, const storage::SubaccountToken& token, std::int64_t now_ms);

    /// The app goes to the background (polls everything at background_poll_interval_ms) or comes
    /// to the foreground (inbox every poll_interval_ms, groups on their schedule; due at once).
    void set_background(bool background, std::int64_t now_ms);
    bool background() const { return background_; }
    const ClientConfig& config() const { return config_; }

    /// Polls whatever is due: the own inbox and every group whose interval has passed.
    ClientEvents poll(std::int64_t now_ms);
    /// When the next poll is due (own inbox or a group).
    std::int64_t next_poll_ms() const;

    ClientEvents on_reply(std::uint64_t request_id, const std::optional<node::WireReply>& reply,
                          std::int64_t now_ms);

    /// A v4 request to an external server through one of this client's paths. The answer comes
    /// back as ServerReplied with the returned id (no retries: the caller decides).
    std::pair<std::uint64_t, ClientEvents> server_request(
        const onion::ServerKeys& server, const onion::V4Request& request, std::int64_t now_ms,
        std::optional<std::int64_t> timeout_ms = std::nullopt);

    /// The signed POST /subscribe body for this account's inbox (namespace 0, with data).
    push::Subscribe push_subscription(const std::string& service, const std::string& token,
                                      const FixedBytes<32>& enc_key, std::int64_t now_ms) const;
    /// A notification from the platform push service: the message it carries is handed over at
    /// once (and not again when a poll fetches it); without one (too big) the client polls now.
    ClientEvents on_push(const std::string& enc_payload, const FixedBytes<32>& enc_key,
                         std::int64_t now_ms);

    /// A latency probe: an `info` request to `target` through a one-off path of `hops` nodes
    /// (0: directly, no onion). Probes neither use nor strike the client's paths.
    ClientEvents probe(const NodeInfo& target, std::size_t hops, std::int64_t now_ms);

private:
    /// A recursive request to the account's swarm (store, or revoke_subaccount), retried until
    /// it is accepted. Parameters are made at each attempt: signatures carry the attempt's time.
    struct Outgoing {
        identity::AccountId recipient;
        std::string method;
        std::function<nlohmann::json(std::int64_t now)> params;
        int attempts = 0;       ///< stores tried
        int swarm_fetches = 0;  ///< get_swarm requests made for it
    };
    std::pair<std::uint64_t, ClientEvents> enqueue(Outgoing out, std::int64_t now);
    /// Namespaces polled for an account (own inbox, or a group's keys then messages).
    const std::vector<storage::Namespace>& namespaces_of(const identity::AccountId& account) const;
    /// The auth fields of a retrieve of `account`'s namespace `ns` at `now`.
    nlohmann::json retrieve_auth(const identity::AccountId& account, storage::Namespace ns,
                                 std::int64_t now) const;
    ClientEvents poll_account(const identity::AccountId& account, std::int64_t now);
    void handle_group_message(GroupMembership& g, storage::Namespace ns, const std::string& hash,
                              const nlohmann::json& m, std::int64_t now, ClientEvents& events);
    enum class Kind { get_swarm, store, retrieve, probe, server };
    struct InFlight {
        Kind kind;
        Path path;
        NodeInfo destination;
        std::optional<onion::LayerKey> reply_key;  ///< none for a direct request
        identity::AccountId account;               ///< whose swarm (get_swarm) / recipient (store)
        std::uint64_t message_id = 0;              ///< store, and get_swarm made for a send
        bool for_poll = false;                     ///< get_swarm made for polling
    };

    ClientEvents attempt_send(std::uint64_t message_id, std::int64_t now);
    ClientEvents poll_swarm(const identity::AccountId& account,
                            const std::vector<NodeInfo>& members, std::int64_t now);
    ClientEvents fetch_swarm(const identity::AccountId& account, std::uint64_t message_id,
                             bool for_poll, std::int64_t now);
    /// Builds the onion for `rpc` to `destination` and remembers what to do with the reply.
    std::optional<SendOnion> request(Kind kind, const NodeInfo& destination,
                                     const nlohmann::json& rpc, const identity::AccountId& account,
                                     std::uint64_t message_id, bool for_poll);
    /// Wraps `rpc` in onion layers for `path` to request.destination and records it in flight
    /// (with its path and reply key) under a new id.
    SendOnion send_over(Path path, InFlight request, const nlohmann::json& rpc);
    /// Strikes the path (and the named node), then forgets struck-off nodes in cached swarms.
    void report_failure(const Path& path, PathFailure failure,
                        const std::optional<crypto::Ed25519PublicKey>& node);
    ClientEvents retry_or_fail(const InFlight& f, const std::string& reason, std::int64_t now);
    ClientEvents handle_ok(const InFlight& f, int status, const std::string& body,
                           std::int64_t now);
    ClientEvents on_server_reply(std::uint64_t id, const InFlight& f,
                                 const std::optional<node::WireReply>& reply);
    ClientEvents handle_retrieve(const InFlight& f, const nlohmann::json& body, std::int64_t now);
    /// A destination that answered 200 with nonsense (or an acknowledgement that does not
    /// check out): struck like a failing node, dropped from the cached swarm, request retried.
    ClientEvents refuse_answer(const InFlight& f, const std::string& reason, std::int64_t now);
    /// store_ack_signatures: does `body` carry enough valid signatures over the hash of the
    /// message `out` stores?
    bool ack_verified(const Outgoing& out, const nlohmann::json& body, std::int64_t now) const;

    identity::Identity identity_;
    ClientConfig config_;
    NodePool pool_;
    crypto::RandomSource& random_;
    std::vector<storage::Namespace> poll_namespaces_;
    PathManager paths_;
    SwarmCache swarms_;
    PollState poll_state_;
    ClientCounters counters_;
    std::int64_t next_poll_ms_ = 0;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Outgoing> outgoing_;
    std::map<std::uint64_t, InFlight> in_flight_;
    std::map<identity::AccountId, GroupMembership> groups_;
    bool background_ = false;
};

}  // namespace sessionsim::client
