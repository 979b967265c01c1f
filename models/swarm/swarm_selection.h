// Which swarm stores an account: the closest swarm id on the 2^64 ring.
#pragma once

#include <cstdint>
#include <span>

#include "models/swarm/rules.h"

namespace sessionsim::swarm {

/// Closest swarm to `space` among `sorted_ids` (ascending, unique, non-empty), with the storage
/// server's rules: a single swarm always wins; otherwise right = first id >= space (wrapping to
/// the first), left = the id before it (wrapping to the last), and right wins only if strictly
/// closer — ties go left. Throws InvalidInput on an empty list.
SwarmId closest_swarm(std::span<const SwarmId> sorted_ids, std::uint64_t space);

}  // namespace sessionsim::swarm
