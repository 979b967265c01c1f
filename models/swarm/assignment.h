// The chain's view of swarms: each active node's swarm id, rebalanced block by block. This is
// the state oxend keeps per node; rebalance_swarms() is the algorithm it runs on it.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/swarm/rebalance.h"

namespace sessionsim::swarm {

/// Active node -> swarm id (kUnassignedSwarmId for a node registered or recommissioned since the
/// last rebalance). Ordered by key bytes, which is the order oxend feeds nodes in.
using SwarmAssignment = std::map<NodeKey, SwarmId>;

/// The rebalance seed of a block: its hash's first 8 bytes read as a little-endian u64.
std::uint64_t rebalance_seed(const FixedBytes<32>& block_hash);

/// Groups nodes by swarm in key order: oxend's input to calc_swarm_changes.
SwarmMembers members_by_swarm(const SwarmAssignment& nodes);

/// Rebalances all active `nodes` as oxend does for a block that changed the active set.
RebalanceReport rebalance_assignment(SwarmAssignment& nodes, std::uint64_t seed);

/// The swarm ids in use, ascending (what clients and storage servers choose among).
std::vector<SwarmId> swarm_ids(const SwarmAssignment& nodes);

}  // namespace sessionsim::swarm
