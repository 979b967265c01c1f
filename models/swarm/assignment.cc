#include "models/swarm/assignment.h"

#include <algorithm>

namespace sessionsim::swarm {

std::uint64_t rebalance_seed(const FixedBytes<32>& block_hash) {
    std::uint64_t seed = 0;
    for (int i = 7; i >= 0; --i)
        seed = (seed << 8) | block_hash[static_cast<std::size_t>(i)];
    return seed;
}

SwarmMembers members_by_swarm(const SwarmAssignment& nodes) {
    SwarmMembers swarms;
    for (const auto& [key, swarm] : nodes)
        swarms[swarm].push_back(key);
    return swarms;
}

RebalanceReport rebalance_assignment(SwarmAssignment& nodes, std::uint64_t seed) {
    SwarmMembers swarms = members_by_swarm(nodes);
    const RebalanceReport report = rebalance_swarms(swarms, seed);
    for (const auto& [swarm, members] : swarms) {
        for (const auto& key : members)
            nodes[key] = swarm;
    }
    return report;
}

std::vector<SwarmId> swarm_ids(const SwarmAssignment& nodes) {
    std::vector<SwarmId> ids;
    for (const auto& [key, swarm] : nodes) {
        if (swarm != kUnassignedSwarmId)
            ids.push_back(swarm);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

}  // namespace sessionsim::swarm
