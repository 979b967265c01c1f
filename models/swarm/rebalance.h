// Swarm rebalancing exactly as oxend does it at every block that changes the active set
// (oxen-core calc_swarm_changes): place new nodes in the smallest swarms, let starving swarms
// steal from rich ones ("Robin Hood"), split excess into new swarms, dissolve what cannot be
// saved. Same RNG (mt19937_64 seeded from the block hash, oxen's portable uniform draw) and the
// same std::sort, so the outcome is identical to oxend's, node for node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "models/common/bytes.h"
#include "models/swarm/rules.h"

namespace sessionsim::swarm {

/// A service node's Ed25519 public key: how the chain orders and identifies nodes.
using NodeKey = FixedBytes<32>;

/// swarm id -> members, in oxend's order. Nodes awaiting placement sit under kUnassignedSwarmId.
using SwarmMembers = std::map<SwarmId, std::vector<NodeKey>>;

/// What one rebalance did (for logs and metrics; the outcome itself is the map).
struct RebalanceReport {
    std::size_t nodes_placed = 0;      ///< unassigned nodes given a swarm
    std::size_t nodes_stolen = 0;      ///< moved from a rich swarm to a starving one
    std::size_t swarms_created = 0;    ///< new swarms built from excess
    std::size_t swarms_dissolved = 0;  ///< starving swarms removed, members redistributed
};

/// Rebalances `swarms` in place with the block's `seed`.
///
/// One deliberate difference from oxend: when dissolving leaves a single starving swarm, oxend
/// would dissolve that one too and then fail (std::out_of_range) placing its nodes into no
/// swarm; only networks of under ten nodes can reach it. Here the last swarm is kept instead.
RebalanceReport rebalance_swarms(SwarmMembers& swarms, std::uint64_t seed);

/// The swarm ids in use, ascending (kUnassignedSwarmId excluded).
std::vector<SwarmId> swarm_ids(const SwarmMembers& swarms);

}  // namespace sessionsim::swarm
