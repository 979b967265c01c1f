// A Session client as a sans-I/O state machine: it sends one-to-one messages to the
// recipient's swarm and polls its own, every request through an onion path. The driver (ns-3
// app or testbed) delivers its SendOnion actions to the guard and feeds back what came back.
//   send:  swarm known? -> store to one random member through a path that avoids it;
//          421 -> take the swarm from the reply and retry; path failures -> strikes, retry
//   poll:  every poll_interval (on a fixed clock, or from the end of the previous poll), some
//          swarm members (poll_targets.h), one batch of signed retrieves (one per namespace)
//          each, last_hash per (node, namespace), merged and de-duplicated
// Which of these rules a client follows, and with what numbers, is its profile (profiles.h).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "models/client/client_config.h"
#include "models/client/group_membership.h"
#include "models/client/node_pool.h"
#include "models/client/path_manager.h"
#include "models/client/poll_state.h"
#include "models/client/poll_targets.h"
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
    bool probe = true;  ///< a latency probe; false: a guard test, client traffic
};
struct MessageStored {
    std::uint64_t message_id = 0;
    std::string hash;
    int attempts = 0;
    std::int64_t at_ms = 0;
    crypto::Ed25519PublicKey acked_by{};  ///< the swarm member whose answer said "stored"
    std::uint64_t request_id = 0;         ///< the store request that answer came on
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
    std::uint64_t request_id = 0;              ///< the poll (retrieve) whose answer carried it
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
    /// Sync copies (sync_copies) stored in the own swarm, given up on, and fetched back.
    std::uint64_t sync_stored = 0, sync_failed = 0, sync_received = 0;
    /// Polls of the own inbox in which no retrieve was answered (after_completion schedule).
    std::uint64_t polls_failed = 0;
    /// Connections to nodes the driver reported lost (counted where connection_loss acts).
    std::uint64_t connections_lost = 0;
    std::uint64_t pool_refreshes = 0;
    /// Guards tested before use (guard_test), and those that failed the test.
    std::uint64_t guard_tests = 0, guard_tests_failed = 0;
    /// Answers 406 (clock out of sync), and network-time checks made (info_median).
    std::uint64_t clock_refusals = 0, time_checks = 0;
};

/// next_poll_ms() while a poll is still out and the next waits for its end.
inline constexpr std::int64_t kNoPollScheduled = std::numeric_limits<std::int64_t>::max();

class Client {
public:
    Client(identity::Identity identity, ClientConfig config, NodePool pool,
           crypto::RandomSource& random);

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
    /// The time this client stamps and signs requests with at true time `now_ms`: its own
    /// clock (clock_offset_ms off) less the network offset it has learnt.
    std::int64_t network_now(std::int64_t now_ms) const {
        return now_ms + config_.clock_offset_ms - network_offset_ms_;
    }
    /// What the client believes its clock is ahead of the network by.
    std::int64_t network_offset_ms() const { return network_offset_ms_; }

    /// Polls whatever is due: the own inbox and every group whose interval has passed.
    ClientEvents poll(std::int64_t now_ms);
    /// When the next poll is due (own inbox or a group); kNoPollScheduled while the inbox's
    /// poll is still out and no group is due (after_completion: its end sets the next one).
    std::int64_t next_poll_ms() const;

    /// The node list was fetched at `now_ms` (the driver calls this once at start).
    void set_pool_fetched(std::int64_t now_ms) { pool_fetched_ms_ = now_ms; }
    /// Whether the node list is due for a refetch: pool_refresh_interval_ms since the last
    /// fetch, or strikes left fewer than pool_min_size nodes.
    bool pool_refresh_due(std::int64_t now_ms) const;
    /// Replaces the node list with a fresh copy (the strike rules decide what survives).
    void refresh_pool(NodePool fresh, std::int64_t now_ms);

    ClientEvents on_reply(std::uint64_t request_id, const std::optional<node::WireReply>& reply,
                          std::int64_t now_ms);
    /// The driver's connection to `node` closed without this client closing it: the peer closed
    /// or reset it, it went silent, or it never opened. The connection_loss rule decides what
    /// that does to the path through `node`. Requests in flight on it are the driver's to end
    /// (on_reply with no answer), as a lost QUIC connection's streams end (libquic fails them
    /// as timed out).
    ClientEvents on_connection_lost(const crypto::Ed25519PublicKey& node, std::int64_t now_ms);

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
        /// A one-to-one text, kept to store its sync copy once it is stored (sync_copies).
        struct Text {
            std::string text;
            std::vector<message::AttachmentPointer> attachments;
            std::int64_t sent_ms = 0;
        };
        std::optional<Text> text{};
        bool restamp = false;  ///< a retry after a 406: the store's timestamp is taken afresh
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
    enum class Kind { get_swarm, store, retrieve, probe, server, guard_test, time_check };
    struct InFlight {
        Kind kind;
        Path path;
        NodeInfo destination;
        std::optional<onion::LayerKey> reply_key;  ///< none for a direct request
        identity::AccountId account;               ///< whose swarm (get_swarm) / recipient (store)
        std::uint64_t message_id = 0;              ///< store, and get_swarm made for a send
        bool for_poll = false;                     ///< get_swarm made for polling
        bool inbox_poll = false;   ///< part of the own inbox's open poll (after_completion)
        std::int64_t sent_ms = 0;  ///< when it was sent (time checks: the round trip)
    };
    /// The own inbox's poll under the after_completion schedule: requests still out, whether
    /// a retrieve was answered, and failed polls in a row (for the retry delay).
    struct InboxPoll {
        bool open = false;
        std::size_t in_flight = 0;
        bool answered = false;
        int failures = 0;
    };
    bool polls_after_completion() const;
    /// Ends the open inbox poll at `now`: the next starts after the interval or the retry delay.
    void close_inbox_poll(std::int64_t now);
    /// on_reply without the bookkeeping of the inbox poll and of sync copies.
    ClientEvents dispatch_reply(const InFlight& f, std::uint64_t request_id,
                                const std::optional<node::WireReply>& reply, std::int64_t now);
    /// Stores the sync copy of a one-to-one text just stored (sync_copies).
    ClientEvents send_sync_copy(const Outgoing::Text& text, std::int64_t now);
    /// Drops the Stored/Failed events of sync copies from `events`, counting them.
    void settle_sync_copies(ClientEvents& events);

    ClientEvents attempt_send(std::uint64_t message_id, std::int64_t now);
    ClientEvents poll_swarm(const identity::AccountId& account,
                            const std::vector<NodeInfo>& members, std::int64_t now);
    ClientEvents fetch_swarm(const identity::AccountId& account, std::uint64_t message_id,
                             bool for_poll, std::int64_t now);
    /// `account`'s swarm as the node list the client holds assigns it (swarm_lookup local).
    std::vector<NodeInfo> local_swarm(const identity::AccountId& account) const;
    /// Builds the onion for `rpc` to `destination` and remembers what to do with the reply.
    /// The events to emit (the request, guard tests), or nullopt if no path can be had. While
    /// the paths are being tested the request waits (no SendOnion yet) and goes when one is
    /// ready, or fails as if no path could be built.
    std::optional<ClientEvents> request(Kind kind, const NodeInfo& destination,
                                        const nlohmann::json& rpc,
                                        const identity::AccountId& account,
                                        std::uint64_t message_id, bool for_poll, std::int64_t now);
    /// What a request that got no path does to its message (nothing for a poll).
    void fail_request(Kind kind, std::uint64_t message_id, ClientEvents& events);
    void send_server_request(std::uint64_t id, const onion::ServerKeys& server,
                             const onion::V4Request& request,
                             std::optional<std::int64_t> timeout_ms, std::int64_t now,
                             ClientEvents& events);
    /// Emits the tests of the guards of paths just built (guard_test).
    void start_guard_tests(ClientEvents& events);
    ClientEvents on_guard_test(const InFlight& f, const std::optional<node::WireReply>& reply,
                               std::int64_t now);
    /// A request waiting for a path: what sends it, and what fails it if no path comes.
    struct Waiting {
        std::function<void(ClientEvents&, std::int64_t)> resume;
        std::function<void(ClientEvents&)> give_up;
        bool inbox_poll = false;
    };
    std::vector<Waiting> waiting_;
    /// Network time (network_time): learns from an answer's `t` (reply_average).
    void learn_time(const nlohmann::json& body, std::int64_t now);
    /// Starts a network-time check (info_median) unless one is running.
    void check_time(std::int64_t now, ClientEvents& events);
    ClientEvents on_time_check(const InFlight& f, const std::optional<node::WireReply>& reply,
                               std::int64_t now);
    /// A 406 for `f`: what the profile does about the clock, and about the request.
    ClientEvents on_clock_refusal(const InFlight& f, std::int64_t now);
    std::int64_t network_offset_ms_ = 0;
    std::vector<std::int64_t> offset_samples_;  ///< reply_average: the last 10
    bool time_checked_ = false;
    int time_checks_out_ = 0;
    /// What waits for the running time check (an Android store to retry).
    std::vector<std::function<void(ClientEvents&, std::int64_t)>> after_time_check_;
    /// Wraps `rpc` in onion layers for `path` to request.destination and records it in flight
    /// (with its path and reply key) under a new id.
    SendOnion send_over(Path path, InFlight request, const nlohmann::json& rpc);
    /// Strikes the path (and the named node), then forgets struck-off nodes in cached swarms.
    void report_failure(const Path& path, PathFailure failure,
                        const std::optional<crypto::Ed25519PublicKey>& node, std::int64_t now);
    ClientEvents retry_or_fail(const InFlight& f, const std::string& reason, std::int64_t now);
    ClientEvents handle_ok(const InFlight& f, int status, const std::string& body,
                           std::int64_t now);
    ClientEvents on_server_reply(std::uint64_t id, const InFlight& f,
                                 const std::optional<node::WireReply>& reply, std::int64_t now);
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
    PathManager paths_;
    SwarmCache swarms_;
    PollState poll_state_;
    PollTargets poll_targets_;
    InboxPoll inbox_poll_;
    std::int64_t pool_fetched_ms_ = 0;
    std::set<std::uint64_t> sync_ids_;
    /// Hashes of sync copies sent and not yet fetched back: read as such, not as new messages.
    std::set<std::string> sync_hashes_;
    ClientCounters counters_;
    std::int64_t next_poll_ms_ = 0;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Outgoing> outgoing_;
    std::map<std::uint64_t, InFlight> in_flight_;
    std::map<identity::AccountId, GroupMembership> groups_;
    bool background_ = false;
};

}  // namespace sessionsim::client
