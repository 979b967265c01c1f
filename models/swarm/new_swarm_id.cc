#include "models/swarm/new_swarm_id.h"

namespace sessionsim::swarm {

SwarmId new_swarm_id(std::span<const SwarmId> sorted_ids) {
    if (sorted_ids.empty())
        return 0;

    std::uint64_t widest_gap = 0;
    std::size_t gap_start = 0;
    for (std::size_t i = 0; i + 1 < sorted_ids.size(); ++i) {
        const std::uint64_t gap = sorted_ids[i + 1] - sorted_ids[i];
        if (gap > widest_gap) {  // strict: the first of equal gaps wins
            widest_gap = gap;
            gap_start = i;
        }
    }
    // The wrap gap: kMaxSwarmId and 0 count as one apart.
    const std::uint64_t wrap_gap = kMaxSwarmId - sorted_ids.back() + sorted_ids.front() + 1;
    if (wrap_gap > widest_gap) {
        widest_gap = wrap_gap;
        gap_start = sorted_ids.size() - 1;
    }

    const std::uint64_t half = widest_gap / 2;
    const std::uint64_t room_before_wrap = kMaxSwarmId - sorted_ids[gap_start];
    if (half > room_before_wrap)
        return half - room_before_wrap - 1;
    return sorted_ids[gap_start] + half;
}

}  // namespace sessionsim::swarm
