// A hash for keys that are already uniformly random, for unordered maps on hot paths.
#pragma once

#include <cstddef>
#include <cstring>

#include "models/common/bytes.h"

namespace sessionsim {

/// Hashes a key that is already uniformly random (a public key, a hash) by its first 8 bytes:
/// where a std::map would compare 32 bytes at each of a dozen levels per lookup.
struct RandomKeyHash {
    template <std::size_t N>
    std::size_t operator()(const FixedBytes<N>& key) const {
        static_assert(N >= sizeof(std::size_t));
        std::size_t h;
        std::memcpy(&h, key.data(), sizeof(h));
        return h;
    }
};

}  // namespace sessionsim
