// Where an account lives on the 2^64 swarm ring.
#pragma once

#include <cstdint>

#include "models/common/bytes.h"

namespace sessionsim::swarm {

/// XOR of the four 8-byte words of the 32 raw key bytes (prefix byte excluded), read
/// big-endian (storage server pubkey_to_swarm_space).
std::uint64_t swarm_space(const FixedBytes<32>& raw_key);

}  // namespace sessionsim::swarm
