// oxen-core's platform-independent uniform integer draw (src/common/random.cpp). Swarm
// rebalancing must draw exactly as oxend does to reproduce its assignments node for node.
#pragma once

#include <cstdint>
#include <random>

namespace sessionsim::swarm {

/// Uniform in [0, n), n > 0: rejection-samples rng() below the largest multiple of n, then
/// divides by (that multiple / n). Throws InvalidInput if n == 0.
std::uint64_t uniform_portable(std::mt19937_64& rng, std::uint64_t n);

}  // namespace sessionsim::swarm
