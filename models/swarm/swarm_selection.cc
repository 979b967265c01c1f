#include "models/swarm/swarm_selection.h"

#include <algorithm>

#include "models/common/errors.h"

namespace sessionsim::swarm {

SwarmId closest_swarm(std::span<const SwarmId> sorted_ids, std::uint64_t space) {
    if (sorted_ids.empty())
        throw InvalidInput("no swarms to choose from");
    if (sorted_ids.size() == 1)
        return sorted_ids.front();

    auto right = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), space);
    if (right == sorted_ids.end())
        right = sorted_ids.begin();
    const auto left = right == sorted_ids.begin() ? sorted_ids.end() - 1 : right - 1;

    // Unsigned subtraction is arithmetic modulo 2^64: exactly the ring distance wanted.
    const std::uint64_t distance_right = *right - space;
    const std::uint64_t distance_left = space - *left;
    return distance_right < distance_left ? *right : *left;
}

}  // namespace sessionsim::swarm
