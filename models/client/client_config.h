// Client timing and robustness constants. Every default is the real clients' value (session
// desktop onionPath.ts / swarmPolling.ts, libsession network_config.hpp); scenarios may change
// any of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/onion/enc_type.h"
#include "models/storage/namespaces.h"

namespace sessionsim::client {

struct ClientConfig {
    std::size_t path_length = 3;    ///< ONION_REQUEST_HOPS / path_length, guard included
    std::size_t path_count = 2;     ///< desiredGuardCount: one path per guard
    int path_strike_threshold = 3;  ///< pathFailureThreshold, per guard
    int node_strike_threshold = 3;  ///< snodeFailureThreshold, per node
    /// Where no two nodes may share an IPv4 /24: nowhere (Android), within each path
    /// (composite), or across all the client's paths (desktop getWeightedSingleSnodePerSubnet,
    /// libsession get_unused_nodes), which also keeps a node from serving two paths.
    enum class SubnetDiversity { none, per_path, all_paths };
    SubnetDiversity subnet_diversity = SubnetDiversity::per_path;
    /// A what-if, not what Session does: draw a fresh path for every request instead of keeping
    /// one path per guard (the "no guards" mode of the guard-plateau comparison, §1.7).
    bool fresh_paths = false;
    int path_build_attempts = 4;  ///< desktop: 4 attempts per path build
    /// How a new guard is tried before its path is used: not at all (composite, Android), a
    /// direct get_swarm for the client's own account (desktop testGuardNode: the guard sees the
    /// client's address and Session ID), or a connection check (libsession: a QUIC handshake,
    /// modelled as a direct `info` request). Requests wait while the paths they need are tested.
    enum class GuardTest { none, get_swarm, connect };
    GuardTest guard_test = GuardTest::none;
    std::int64_t guard_test_timeout_ms = 10'000;
    /// Failed guard tests in a row before the waiting requests are given up on (desktop: 2
    /// candidates a round for 6 rounds; libsession: 10 tries).
    int guard_test_attempts = 12;
    /// A failed guard test strikes the guard (libsession), or only skips it (desktop).
    bool guard_test_failure_strikes = false;
    /// Replace a path's relays, keeping its guard, once the relays have served this long
    /// (libsession onionreq_path_rotation_frequency, Android PATH_ROTATE_INTERVAL_MS: 10 min;
    /// 0: never, paths stay until they fail).
    std::int64_t path_rotation_ms = 0;
    /// Replace a guard once it has served this long (libsession's edge-node cache: 10 days; 0:
    /// until its path fails).
    std::int64_t guard_lifetime_ms = 0;
    std::int64_t request_timeout_ms = 10'000;  ///< onion request to a swarm member
    int send_attempts = 3;                     ///< tries for one message before giving up
    std::int64_t poll_interval_ms = 5'000;     ///< SWARM_POLLING_TIMEOUT.ACTIVE
    /// When the next poll of the own inbox starts: on a fixed clock (every poll_interval_ms
    /// from the previous start) or poll_interval_ms after every retrieve of the previous poll
    /// has been answered or timed out (all shipped clients: a slow node stretches the cycle).
    enum class PollSchedule { fixed_clock, after_completion };
    PollSchedule poll_schedule = PollSchedule::fixed_clock;
    /// Which swarm members a poll asks: a fresh random sample of poll_nodes each poll (desktop),
    /// or the members drained in a shuffled order without replacement, each kept for
    /// poll_node_reuse polls (Android: 1, a new node every poll; iOS: 6).
    enum class PollNodeChoice { random_sample, drain };
    PollNodeChoice poll_node_choice = PollNodeChoice::random_sample;
    int poll_node_reuse = 1;
    /// Namespaces of the own inbox each poll retrieves, in one batch per node.
    std::vector<storage::Namespace> poll_namespaces{0};
    /// After n >= 1 consecutive failed polls (no retrieve answered), the next poll waits
    /// min(poll_retry_first_ms + (n - 1) * poll_retry_step_ms, poll_retry_max_ms) from the end
    /// of the failed one (after_completion schedule only). Android: 4 s, +2 s, at most 10 s.
    std::int64_t poll_retry_first_ms = 5'000;
    std::int64_t poll_retry_step_ms = 0;
    std::int64_t poll_retry_max_ms = 5'000;
    /// In the background (a phone app not on screen) everything -- inbox and groups -- is
    /// polled at this interval instead (Android WorkManager: at most every 15 minutes).
    std::int64_t background_poll_interval_ms = 900'000;
    std::size_t poll_nodes = 2;       ///< RETRIEVE_SNODES_COUNT
    std::size_t min_swarm_cache = 3;  ///< refetch the swarm below this many usable members
    std::int64_t message_ttl_ms = 14LL * 24 * 3600 * 1000;  ///< CONTENT_MESSAGE TTL
    onion::EncType enc_type = onion::EncType::xchacha20;    ///< libsession's default
    /// A what-if, not what Session does: accept a store only if its answer carries valid
    /// Ed25519 signatures over the message's own hash from at least this many distinct nodes
    /// of its swarm map (0: trust a 200, as the real clients do). A lone node cannot forge its
    /// peers' signatures; colluding nodes can sign for each other.
    int store_ack_signatures = 0;
    /// What a 421 does to the cached swarm: take the list it names (session desktop
    /// handle421InvalidSwarm), or forget the swarm and ask a random node again (closer to
    /// libsession, which computes swarms from its own node list and ignores the 421's).
    enum class WrongSwarm { take_list, refetch };
    WrongSwarm on_wrong_swarm = WrongSwarm::take_list;
    /// How the client learns an account's swarm: a get_swarm request through a path to a
    /// random node (desktop getSwarmFor, Android), or computed from the node list it already
    /// holds, which names every node's swarm (libsession SnodePool::get_swarm; no request).
    enum class SwarmLookup { get_swarm, local };
    SwarmLookup swarm_lookup = SwarmLookup::get_swarm;
    /// Store a copy of every one-to-one message sent in the sender's own swarm (the "sync
    /// message" that other devices of the account read: desktop sendSyncMessage, Android and
    /// iOS handleSuccessfulMessageSend).
    bool sync_copies = false;
    /// Which nodes a failed path (an error status such as 504 or 500, or an answer that does
    /// not open) strikes besides the path's own count: none but the path (its guard leaves
    /// after path_strike_threshold failures), the path's relays too (desktop
    /// incrementBadPathCountOrDrop: every node after the guard), every node of the path
    /// (Android), or every node once, when the path reaches its threshold (libsession).
    enum class PathFailureStrikes { path_only, relays, all_nodes, all_nodes_when_dropped };
    PathFailureStrikes path_failure_strikes = PathFailureStrikes::path_only;
    /// What a request that got no answer at all (the client's own timeout) counts as: a path
    /// failure as above, a strike on the path and on its guard (Android), or nothing
    /// (libsession: only errors the path reports strike).
    enum class TimeoutStrikes { path_failure, path_and_guard, none };
    TimeoutStrikes timeout_strikes = TimeoutStrikes::path_failure;
    /// What the driver reporting a lost connection to a guard does (on_connection_lost):
    /// nothing (the requests on it find out at their timeout), or the path through that guard
    /// fails as if it had reached its strike threshold (libsession's onion_request_router: the
    /// guard connection's failure listener sets the path's strike count to the threshold).
    enum class ConnectionLoss { ignored, drops_path };
    ConnectionLoss connection_loss = ConnectionLoss::ignored;
    /// A strike older than this no longer counts (0: strikes never expire by time).
    std::int64_t strike_expiry_ms = 0;
    /// A node-list refresh clears every strike count (desktop resetSnodeFailureCount and
    /// resetPathFailureCount after each successful refresh).
    bool strikes_cleared_on_refresh = false;
    /// Refetch the service-node list this often, and as soon as strikes leave fewer than
    /// pool_min_size nodes (libsession cache_expiration 2 h, cache_min_size 12).
    std::int64_t pool_refresh_interval_ms = 2LL * 3600 * 1000;
    std::size_t pool_min_size = 12;
    /// This client's clock error: its device clock reads true time + clock_offset_ms (set per
    /// client from the clients.clock_* keys; 0: a perfect clock).
    std::int64_t clock_offset_ms = 0;
    /// How the client corrects its clock to the network's, for the timestamps it signs: not at
    /// all; from the `t` of every answer (desktop GetNetworkTime: the mean of the last 10
    /// offsets, no round-trip correction); or from `info` requests to 3 random nodes, the
    /// median, half the round trip allowed for, at the start and after a 406 (libsession
    /// num_nodes_to_check_for_network_offset; Android likewise).
    enum class NetworkTime { none, reply_average, info_median };
    NetworkTime network_time = NetworkTime::none;
    /// What a store refused with 406 ("clock out of sync") does: fail the message (desktop;
    /// libsession, after it resynchronises), or resynchronise and try once more with the
    /// corrected time (Android).
    enum class ClockRefusal { fail, resync_and_retry };
    ClockRefusal on_clock_refusal = ClockRefusal::fail;
};

}  // namespace sessionsim::client
