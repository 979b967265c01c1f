// Client timing and robustness constants. Every default is the real clients' value (session
// desktop onionPath.ts / swarmPolling.ts, libsession network_config.hpp); scenarios may change
// any of them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/onion/enc_type.h"

namespace sessionsim::client {

struct ClientConfig {
    std::size_t path_length = 3;           ///< ONION_REQUEST_HOPS / path_length, guard included
    std::size_t path_count = 2;            ///< desiredGuardCount: one path per guard
    int path_strike_threshold = 3;         ///< pathFailureThreshold, per guard
    int node_strike_threshold = 3;         ///< snodeFailureThreshold, per node
    bool enforce_subnet_diversity = true;  ///< no two path nodes in one IPv4 /24
    /// A what-if, not what Session does: draw a fresh path for every request instead of keeping
    /// one path per guard (the "no guards" mode of the guard-plateau comparison, §1.7).
    bool fresh_paths = false;
    int path_build_attempts = 4;               ///< desktop: 4 attempts per path build
    std::int64_t request_timeout_ms = 10'000;  ///< onion request to a swarm member
    int send_attempts = 3;                     ///< tries for one message before giving up
    std::int64_t poll_interval_ms = 5'000;     ///< SWARM_POLLING_TIMEOUT.ACTIVE
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
};

}  // namespace sessionsim::client
