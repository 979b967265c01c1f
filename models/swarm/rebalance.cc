#include "models/swarm/rebalance.h"

#include <algorithm>
#include <cassert>
#include <random>

#include "models/swarm/new_swarm_id.h"
#include "models/swarm/portable_random.h"

#if !defined(__GLIBCXX__)
#pragma message("sessionsim: swarm rebalancing reproduces oxend only with libstdc++'s std::sort")
#endif

namespace sessionsim::swarm {
namespace {

struct SwarmSize {
    SwarmId id;
    std::size_t size;
};

struct PoolMember {
    NodeKey key;
    SwarmId swarm;
};

/// Members of every swarm larger than a threshold, and how far those swarms exceed the minimum.
struct ExcessPool {
    std::vector<PoolMember> members;
    std::size_t excess = 0;
};

/// Sizes in ascending order. std::sort is not stable: oxend's tie order is whatever libstdc++'s
/// introsort makes of map (ascending id) order, so this must be the very same call.
std::vector<SwarmSize> sizes_ascending(const SwarmMembers& swarms) {
    std::vector<SwarmSize> sizes;
    sizes.reserve(swarms.size());
    for (const auto& [id, members] : swarms)
        sizes.push_back({id, members.size()});
    std::sort(sizes.begin(), sizes.end(),
              [](const SwarmSize& a, const SwarmSize& b) { return a.size < b.size; });
    return sizes;
}

std::size_t total_excess(const SwarmMembers& swarms) {
    std::size_t excess = 0;
    for (const auto& [id, members] : swarms) {
        if (members.size() > kExcessBase)
            excess += members.size() - kExcessBase;
    }
    return excess;
}

/// Excess needed before a new swarm is split off: a full new swarm plus the ideal margin left
/// in every existing one.
std::size_t new_swarm_threshold(const SwarmMembers& swarms) {
    return kNewSwarmSize + swarms.size() * kIdealSwarmMargin;
}

ExcessPool excess_pool(const SwarmMembers& swarms, std::size_t threshold) {
    ExcessPool pool;
    for (const auto& [id, members] : swarms) {
        if (members.size() <= threshold)
            continue;
        pool.excess += members.size() - kMinSwarmSize;
        for (const auto& key : members)
            pool.members.push_back({key, id});
    }
    return pool;
}

bool has_starving_swarm(const SwarmMembers& swarms) {
    return std::any_of(swarms.begin(), swarms.end(),
                       [](const auto& entry) { return entry.second.size() < kMinSwarmSize; });
}

class Rebalancer {
public:
    Rebalancer(SwarmMembers& swarms, std::uint64_t seed) : swarms_(swarms), rng_(seed) {}

    RebalanceReport run() {
        std::vector<NodeKey> unassigned;
        if (auto it = swarms_.find(kUnassignedSwarmId); it != swarms_.end()) {
            unassigned = std::move(it->second);
            swarms_.erase(it);
        }
        if (swarms_.empty())
            swarms_.emplace(new_swarm_id({}), std::vector<NodeKey>{});

        place(unassigned, kFillSwarmLowerPercentile);
        report_.nodes_placed = unassigned.size();
        steal_for_starving_swarms();
        create_swarms_from_excess();
        dissolve_starving_swarms();
        return report_;
    }

private:
    /// Removes a uniformly drawn pool member from its swarm and returns its key.
    NodeKey take_random(const ExcessPool& pool) {
        const PoolMember& chosen = pool.members[uniform_portable(rng_, pool.members.size())];
        auto& members = swarms_.at(chosen.swarm);
        members.erase(std::remove(members.begin(), members.end(), chosen.key), members.end());
        return chosen.key;
    }

    /// Splits new swarms of kNewSwarmSize off the excess while there is enough of it, but only
    /// when no swarm is starving.
    void create_swarms_from_excess() {
        if (has_starving_swarm(swarms_))
            return;
        while (total_excess(swarms_) >= new_swarm_threshold(swarms_)) {
            std::vector<NodeKey> fresh;
            fresh.reserve(kNewSwarmSize);
            while (fresh.size() < kNewSwarmSize) {
                const ExcessPool pool = excess_pool(swarms_, kExcessBase);
                // Unreachable: the loop condition guarantees at least kNewSwarmSize excess nodes.
                assert(!pool.members.empty());
                fresh.push_back(take_random(pool));
            }
            swarms_.emplace(new_swarm_id(swarm_ids(swarms_)), std::move(fresh));
            ++report_.swarms_created;
        }
    }

    /// Places each node, one at a time, in a random swarm among those no larger than the given
    /// size percentile, running new-swarm creation after every placement.
    void place(const std::vector<NodeKey>& nodes, std::size_t percentile) {
        for (const auto& key : nodes) {
            const auto sizes = sizes_ascending(swarms_);
            const std::size_t pivot = percentile * (sizes.size() - 1) / 100;
            std::size_t last = sizes.size() - 1;
            for (std::size_t i = pivot; i < sizes.size(); ++i) {
                if (sizes[i].size > sizes[pivot].size) {
                    last = i - 1;
                    break;
                }
            }
            const std::size_t pick = uniform_portable(rng_, last + 1);
            swarms_.at(sizes[pick].id).push_back(key);
            create_swarms_from_excess();
        }
    }

    /// Robin Hood: each starving swarm, smallest first, takes random members of swarms above
    /// the 75th size percentile. The size snapshot is taken once, as oxend does.
    void steal_for_starving_swarms() {
        const auto sizes = sizes_ascending(swarms_);
        for (const auto& starving : sizes) {
            if (starving.size >= kMinSwarmSize)
                break;
            auto& poor = swarms_.at(starving.id);
            do {
                const std::size_t pivot = kStealingSwarmUpperPercentile * (sizes.size() - 1) / 100;
                // Unsigned on purpose: a 0-sized pivot wraps to "nobody is rich", as in oxend.
                const std::size_t threshold = std::max(kMinSwarmSize, sizes[pivot].size - 1);
                const ExcessPool pool = excess_pool(swarms_, threshold);
                const std::size_t deficit = kMinSwarmSize - poor.size();
                // Not enough to save this swarm means not enough for any later (larger) one.
                if (pool.excess < deficit)
                    return;
                poor.push_back(take_random(pool));
                ++report_.nodes_stolen;
            } while (poor.size() < kMinSwarmSize);
        }
    }

    /// Dissolves starving swarms (first in id order) and places their members in the smallest
    /// swarms.
    void dissolve_starving_swarms() {
        if (swarms_.size() <= 1)
            return;
        while (swarms_.size() > 1) {
            const auto it = std::find_if(swarms_.begin(), swarms_.end(), [](const auto& entry) {
                return entry.second.size() < kMinSwarmSize;
            });
            if (it == swarms_.end())
                return;
            std::vector<NodeKey> orphans = std::move(it->second);
            swarms_.erase(it);
            ++report_.swarms_dissolved;
            place(orphans, kDecommissionedRedistributionLowerPercentile);
        }
    }

    SwarmMembers& swarms_;
    std::mt19937_64 rng_;
    RebalanceReport report_;
};

}  // namespace

std::vector<SwarmId> swarm_ids(const SwarmMembers& swarms) {
    std::vector<SwarmId> ids;
    ids.reserve(swarms.size());
    for (const auto& [id, members] : swarms) {
        if (id != kUnassignedSwarmId)
            ids.push_back(id);
    }
    return ids;
}

RebalanceReport rebalance_swarms(SwarmMembers& swarms, std::uint64_t seed) {
    if (swarms.empty())
        return {};
    return Rebalancer(swarms, seed).run();
}

}  // namespace sessionsim::swarm
