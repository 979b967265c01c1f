// Swarm properties over generated histories of joins and leaves: after every rebalance each
// active node is in exactly one real swarm, no swarm is starving unless it is the only one, the
// excess left over is below what would make a new swarm, and the same input and seed give the
// same swarms. Swarm selection always picks an existing swarm at the least ring distance (ties
// to the counter-clockwise side); new swarm ids are never ids in use. Seeds and case counts:
// tests/support/properties.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "models/crypto/random.h"
#include "models/swarm/assignment.h"
#include "models/swarm/new_swarm_id.h"
#include "models/swarm/rebalance.h"
#include "models/swarm/swarm_selection.h"
#include "tests/support/properties.h"

namespace sessionsim::swarm {
namespace {

using test::check_property;

/// One block's changes to the active set.
struct Block {
    std::size_t joins = 0;
    std::vector<std::size_t> leaves;  ///< positions in the active set (modulo its size)
    std::uint64_t seed = 0;
};

void showValue(const Block& block, std::ostream& os) {
    os << "{joins " << block.joins << " leaves " << block.leaves.size() << " seed " << block.seed
       << "}";
}

rc::Gen<Block> any_block() {
    return rc::gen::build<Block>(
        rc::gen::set(&Block::joins, rc::gen::weightedOneOf<std::size_t>(
                                        {{3, rc::gen::inRange<std::size_t>(0, 4)},
                                         {1, rc::gen::inRange<std::size_t>(0, 40)}})),
        rc::gen::set(&Block::leaves,
                     rc::gen::resize(8, rc::gen::container<std::vector<std::size_t>>(
                                            rc::gen::arbitrary<std::size_t>()))),
        rc::gen::set(&Block::seed, rc::gen::arbitrary<std::uint64_t>()));
}

std::size_t excess_over_base(const SwarmMembers& swarms) {
    std::size_t excess = 0;
    for (const auto& [id, members] : swarms)
        excess += members.size() > kExcessBase ? members.size() - kExcessBase : 0;
    return excess;
}

/// The invariants of a rebalanced network of `active` nodes.
void check_rebalanced(const SwarmMembers& swarms, const std::set<NodeKey>& active) {
    RC_ASSERT(swarms.count(kUnassignedSwarmId) == 0u);
    std::multiset<NodeKey> placed;
    for (const auto& [id, members] : swarms) {
        RC_ASSERT(id <= kMaxSwarmId);
        placed.insert(members.begin(), members.end());
        if (swarms.size() > 1)
            RC_ASSERT(members.size() >= kMinSwarmSize);
    }
    // Exactly one swarm per active node: no node lost, none duplicated, no stranger.
    RC_ASSERT(placed.size() == active.size());
    RC_ASSERT(std::set<NodeKey>(placed.begin(), placed.end()) == active);
    if (active.empty())
        return;
    // Too few nodes for two healthy swarms: one swarm holds them all.
    if (active.size() < 2 * kMinSwarmSize)
        RC_ASSERT(swarms.size() == 1u);
    // Whatever excess is left is less than a new swarm would take.
    RC_ASSERT(excess_over_base(swarms) < kNewSwarmSize + swarms.size() * kIdealSwarmMargin);
}

// 150 histories of up to 30 blocks, from up to 400 nodes: about 0.8 s.
TEST(SwarmProperties, RebalancingAfterAnyJoinsAndLeavesKeepsEveryNodeInOneHealthySwarm) {
    check_property(
        150,
        [] {
            const auto blocks =
                *rc::gen::resize(30, rc::gen::container<std::vector<Block>>(any_block()));
            // Networks start at any size up to a few hundred nodes (all registering in the
            // first block; drawn at full size, as inRange otherwise scales with the case number),
            // then change a little at a time.
            const auto initial = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(0, 400));
            const auto key_seed = *rc::gen::arbitrary<std::uint64_t>();
            crypto::SeededRandom keys(key_seed, "swarm property keys");
            SwarmAssignment nodes;
            for (std::size_t j = 0; j < initial; ++j)
                nodes[keys.bytes<32>()] = kUnassignedSwarmId;
            for (const Block& block : blocks) {
                for (const std::size_t position : block.leaves) {
                    if (nodes.empty())
                        break;
                    nodes.erase(std::next(nodes.begin(),
                                          static_cast<std::ptrdiff_t>(position % nodes.size())));
                }
                for (std::size_t j = 0; j < block.joins; ++j)
                    nodes[keys.bytes<32>()] = kUnassignedSwarmId;

                std::set<NodeKey> active;
                for (const auto& [key, swarm] : nodes)
                    active.insert(key);
                const SwarmMembers before = members_by_swarm(nodes);
                SwarmMembers once = before;
                rebalance_swarms(once, block.seed);
                check_rebalanced(once, active);
                // Deterministic: the same swarms and the same seed give the same result, node for
                // node and in the same order.
                SwarmMembers again = before;
                rebalance_swarms(again, block.seed);
                RC_ASSERT(again == once);
                // The assignment form agrees with the members form.
                rebalance_assignment(nodes, block.seed);
                RC_ASSERT(members_by_swarm(nodes).size() == once.size());
                for (const auto& [id, members] : once) {
                    for (const auto& key : members)
                        RC_ASSERT(nodes.at(key) == id);
                }
            }
        },
        60);
}

/// Sorted, unique swarm ids: anywhere on the ring, or bunched at its ends (where wrapping
/// matters), or close together (where ties happen).
rc::Gen<std::vector<SwarmId>> any_swarm_ids() {
    const auto id = rc::gen::weightedOneOf<SwarmId>({
        {2, rc::gen::inRange<SwarmId>(0, kMaxSwarmId)},
        {1, rc::gen::inRange<SwarmId>(0, 16)},
        {1, rc::gen::inRange<SwarmId>(kMaxSwarmId - 16, kMaxSwarmId)},
        {1, rc::gen::elementOf(std::vector<SwarmId>{0, kMaxSwarmId, SwarmId{1} << 63})},
    });
    return rc::gen::map(
        rc::gen::nonEmpty(rc::gen::container<std::set<SwarmId>>(id)),
        [](const std::set<SwarmId>& ids) { return std::vector<SwarmId>(ids.begin(), ids.end()); });
}

std::uint64_t ring_distance(std::uint64_t a, std::uint64_t b) {
    return std::min(a - b, b - a);  // modulo 2^64, as the storage server measures
}

// 1,000 cases: about 0.1 s. Checked against a brute-force scan of every swarm.
TEST(SwarmProperties, SelectionPicksTheClosestExistingSwarmTiesGoingCounterClockwise) {
    check_property(1000, [] {
        const auto ids = *any_swarm_ids();
        const auto near = *rc::gen::elementOf(ids);
        const auto space = *rc::gen::oneOf(
            rc::gen::arbitrary<std::uint64_t>(),
            rc::gen::map(rc::gen::inRange<std::int64_t>(-3, 4),
                         [near](std::int64_t d) { return near + static_cast<std::uint64_t>(d); }));
        const SwarmId chosen = closest_swarm(ids, space);
        RC_ASSERT(std::binary_search(ids.begin(), ids.end(), chosen));
        std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
        for (const SwarmId id : ids)
            best = std::min(best, ring_distance(id, space));
        RC_ASSERT(ring_distance(chosen, space) == best);
        // With two swarms equally close, the one counter-clockwise of the account (below it).
        if (ids.size() > 1 &&
            std::any_of(ids.begin(), ids.end(), [&](SwarmId id) { return space - id == best; })) {
            RC_ASSERT(space - chosen == best);
        }
    });
}

// 1,000 cases: about 0.1 s.
TEST(SwarmProperties, ANewSwarmIdIsNeverOneInUse) {
    check_property(1000, [] {
        const auto ids = *any_swarm_ids();
        const SwarmId fresh = new_swarm_id(ids);
        RC_ASSERT(fresh <= kMaxSwarmId);
        RC_ASSERT(!std::binary_search(ids.begin(), ids.end(), fresh));
    });
}

}  // namespace
}  // namespace sessionsim::swarm
