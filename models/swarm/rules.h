// Swarm constants of oxen-core (src/cryptonote_core/service_node_rules.h, service_node_swarm.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace sessionsim::swarm {

using SwarmId = std::uint64_t;

/// A swarm with fewer members is "starving": saved by stealing, else dissolved.
inline constexpr std::size_t kMinSwarmSize = 5;
inline constexpr std::size_t kIdealSwarmMargin = 2;
inline constexpr std::size_t kIdealSwarmSize = 7;
inline constexpr std::size_t kExcessBase = 5;
inline constexpr std::size_t kNewSwarmSize = 7;
inline constexpr std::size_t kFillSwarmLowerPercentile = 25;
inline constexpr std::size_t kDecommissionedRedistributionLowerPercentile = 0;
inline constexpr std::size_t kStealingSwarmUpperPercentile = 75;

/// Never a real swarm id; new and recommissioned nodes are filed under it.
inline constexpr SwarmId kUnassignedSwarmId = std::numeric_limits<std::uint64_t>::max();
/// The largest real swarm id; the id ring treats kMaxSwarmId and 0 as adjacent.
inline constexpr SwarmId kMaxSwarmId = kUnassignedSwarmId - 1;

}  // namespace sessionsim::swarm
