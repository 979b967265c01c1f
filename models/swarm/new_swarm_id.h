// The id a newly created swarm gets: the midpoint of the largest gap on the id ring.
#pragma once

#include <span>

#include "models/swarm/rules.h"

namespace sessionsim::swarm {

/// oxen-core get_new_swarm_id. `sorted_ids` ascending and unique. Empty -> 0. Otherwise the first
/// largest gap between neighbours (the wrap gap counts kMaxSwarmId - last + first + 1) is halved;
/// the result wraps modulo kMaxSwarmId + 1.
SwarmId new_swarm_id(std::span<const SwarmId> sorted_ids);

}  // namespace sessionsim::swarm
