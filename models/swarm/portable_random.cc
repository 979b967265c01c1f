#include "models/swarm/portable_random.h"

#include "models/common/errors.h"

namespace sessionsim::swarm {

std::uint64_t uniform_portable(std::mt19937_64& rng, std::uint64_t n) {
    if (n == 0)
        throw InvalidInput("uniform_portable: empty range");
    const std::uint64_t rng_max = std::mt19937_64::max();
    const std::uint64_t accept_below = rng_max - rng_max % n;
    std::uint64_t x;
    do {
        x = rng();
    } while (x >= accept_below);
    return x / (accept_below / n);
}

}  // namespace sessionsim::swarm
