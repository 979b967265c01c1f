#include "models/swarm/swarm_space.h"

namespace sessionsim::swarm {

std::uint64_t swarm_space(const FixedBytes<32>& raw_key) {
    std::uint64_t value = 0;
    for (std::size_t byte = 0; byte < 8; ++byte) {
        const std::uint8_t folded =
            raw_key[byte] ^ raw_key[byte + 8] ^ raw_key[byte + 16] ^ raw_key[byte + 24];
        value = (value << 8) | folded;
    }
    return value;
}

}  // namespace sessionsim::swarm
