#include "sim/registry/registry.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "models/crypto/hash.h"
#include "models/crypto/random.h"

namespace sessionsim::registry {

const char* status_name(NodeStatus status) {
    switch (status) {
        case NodeStatus::pending:
            return "pending";
        case NodeStatus::active:
            return "active";
        case NodeStatus::decommissioned:
            return "decommissioned";
        case NodeStatus::deregistered:
            return "deregistered";
        case NodeStatus::unlocked:
            return "unlocked";
    }
    return "?";
}

namespace {

std::array<std::uint8_t, 8> le64(std::uint64_t v) {
    std::array<std::uint8_t, 8> b{};
    for (auto& byte : b) {
        byte = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
    return b;
}

/// A stand-in block hash: unpredictable, but fixed by the run seed and the height.
FixedBytes<32> block_hash(std::uint64_t seed, std::int64_t height) {
    static constexpr std::string_view kLabel = "sessionsim block";
    const auto s = le64(seed);
    const auto h = le64(static_cast<std::uint64_t>(height));
    return crypto::blake2b_256({as_bytes(kLabel), ByteView(s), ByteView(h)});
}

/// `count` distinct entries of `from`, in draw order.
std::vector<std::size_t> sample(std::vector<std::size_t> from, std::size_t count,
                                crypto::RandomSource& random) {
    from.resize(random.sample_to_front(std::span(from), count));
    return from;
}

}  // namespace

Registry::Registry(RegistryRules rules, std::uint64_t seed) : rules_(rules), seed_(seed) {}

std::size_t Registry::add_existing(const swarm::NodeKey& key, std::int64_t age_ms) {
    if (age_ms < 0)
        throw std::invalid_argument("a node's age cannot be negative");
    Node n;
    n.key = key;
    n.status = NodeStatus::active;
    n.up_since_ms = -age_ms;
    n.active_since_height = -(age_ms / rules_.block_ms);
    n.credit_base_blocks = rules_.initial_credit_blocks;
    nodes_.push_back(n);
    assignment_[key] = swarm::kUnassignedSwarmId;
    return nodes_.size() - 1;
}

swarm::RebalanceReport Registry::start(std::uint64_t rebalance_seed) {
    return swarm::rebalance_assignment(assignment_, rebalance_seed);
}

std::size_t Registry::register_node(const swarm::NodeKey& key, std::int64_t now_ms) {
    Node n;
    n.key = key;
    n.status = NodeStatus::pending;
    n.up_since_ms = now_ms;
    nodes_.push_back(n);
    return nodes_.size() - 1;
}

void Registry::set_online(std::size_t node, bool online, std::int64_t now_ms) {
    auto& n = nodes_.at(node);
    if (n.online == online)
        return;
    n.online = online;
    (online ? n.up_since_ms : n.down_since_ms) = now_ms;
}

void Registry::request_unlock(std::size_t node, std::int64_t now_ms) {
    auto& n = nodes_.at(node);
    if (!n.unlock_at_ms)
        n.unlock_at_ms = now_ms + rules_.unlock_ms;
}

std::size_t Registry::count(NodeStatus status) const {
    return static_cast<std::size_t>(std::count_if(
        nodes_.begin(), nodes_.end(), [status](const Node& n) { return n.status == status; }));
}

double Registry::credit_blocks(std::size_t node, std::int64_t height) const {
    const auto& n = nodes_.at(node);
    const double earned =
        static_cast<double>(height - n.active_since_height) * rules_.credit_per_block;
    return std::min(rules_.max_credit_blocks, n.credit_base_blocks + earned);
}

std::int64_t Registry::last_proof_ms(std::size_t node, std::int64_t now_ms) const {
    const auto& n = nodes_.at(node);
    const std::int64_t until = n.online ? now_ms : std::min(now_ms, n.down_since_ms);
    if (until < n.up_since_ms)
        return n.up_since_ms;
    return n.up_since_ms +
           (until - n.up_since_ms) / rules_.proof_interval_ms * rules_.proof_interval_ms;
}

std::optional<std::string> Registry::failed_check(std::size_t node, std::int64_t now_ms) const {
    const auto& n = nodes_.at(node);
    if (now_ms - last_proof_ms(node, now_ms) > rules_.proof_validity_ms)
        return "no recent uptime proof";
    if (rules_.reachability_checks && !n.online &&
        now_ms - n.down_since_ms > rules_.unreachable_failing_after_ms)
        return "storage server unreachable";
    return std::nullopt;
}

bool Registry::can_vote(const Node& n, std::int64_t now_ms) const {
    return n.status == NodeStatus::active && n.online &&
           now_ms - n.up_since_ms >= rules_.validator_min_uptime_ms;
}

void Registry::change(std::size_t node, NodeStatus to, std::string reason, BlockOutcome& outcome) {
    auto& n = nodes_[node];
    outcome.changes.push_back({node, n.status, to, height_, std::move(reason)});
    const bool was_active = n.status == NodeStatus::active;
    n.status = to;
    if (to == NodeStatus::active)
        assignment_[n.key] = swarm::kUnassignedSwarmId;  // oxend places it at the rebalance
    else if (was_active)
        assignment_.erase(n.key);
    if (was_active != (to == NodeStatus::active))
        outcome.swarms_changed = true;
}

std::size_t Registry::nodes_to_test(std::size_t testable) const {
    return std::min(testable,
                    std::max<std::size_t>(static_cast<std::size_t>(rules_.min_nodes_to_test),
                                          testable / rules_.nth_of_network_to_test));
}

double Registry::test_chance() const {
    const auto active = count(NodeStatus::active);
    if (active == 0)
        return 0;
    const auto validators = std::min(active, static_cast<std::size_t>(rules_.quorum_size));
    const auto testable = active + count(NodeStatus::decommissioned) - validators;
    if (testable == 0)
        return 0;
    return (1 - static_cast<double>(validators) / static_cast<double>(active)) *
           static_cast<double>(nodes_to_test(testable)) / static_cast<double>(testable);
}

BlockOutcome Registry::produce_block(std::int64_t now_ms) {
    ++height_;
    BlockOutcome outcome;
    outcome.height = height_;
    outcome.hash = block_hash(seed_, height_);
    crypto::SeededRandom random(outcome.hash);

    // Registrations and unlocks take effect in this block.
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        auto& n = nodes_[i];
        if (n.status == NodeStatus::pending) {
            n.active_since_height = height_;
            n.credit_base_blocks = rules_.initial_credit_blocks;
            change(i, NodeStatus::active, "registered", outcome);
        } else if (n.unlock_at_ms && now_ms >= *n.unlock_at_ms &&
                   (n.status == NodeStatus::active || n.status == NodeStatus::decommissioned)) {
            change(i, NodeStatus::unlocked, "stake unlocked", outcome);
            n.stake_unlocked_at_ms = now_ms;
        }
    }

    // The obligations quorum: validators from the active set, then a sample of the other
    // active and decommissioned nodes to test.
    std::vector<std::size_t> active, testable;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i].status == NodeStatus::active)
            active.push_back(i);
    }
    const auto validators = sample(active, static_cast<std::size_t>(rules_.quorum_size), random);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto s = nodes_[i].status;
        if ((s == NodeStatus::active || s == NodeStatus::decommissioned) &&
            std::find(validators.begin(), validators.end(), i) == validators.end())
            testable.push_back(i);
    }
    const auto tested = sample(testable, nodes_to_test(testable.size()), random);
    outcome.tested = tested.size();
    for (const auto v : validators)
        outcome.votes += can_vote(nodes_[v], now_ms) ? 1 : 0;

    if (outcome.votes >= rules_.min_votes) {
        for (const auto i : tested) {
            auto& n = nodes_[i];
            const auto failed = failed_check(i, now_ms);
            if (n.status == NodeStatus::active && failed) {
                const double credit = credit_blocks(i, height_);
                if (credit >= rules_.min_credit_to_decommission_blocks) {
                    n.decommissioned_height = height_;
                    n.credit_at_decommission = credit;
                    change(i, NodeStatus::decommissioned, *failed, outcome);
                } else {
                    change(i, NodeStatus::deregistered, *failed + ", credit too low", outcome);
                    n.stake_unlocked_at_ms = now_ms + rules_.deregistration_lock_ms;
                }
            } else if (n.status == NodeStatus::decommissioned) {
                const auto down_blocks = static_cast<double>(height_ - n.decommissioned_height);
                if (!failed) {
                    n.credit_base_blocks =
                        std::max(0.0, n.credit_at_decommission - 2 * down_blocks);
                    n.active_since_height = height_;
                    change(i, NodeStatus::active, "recommissioned", outcome);
                } else if (n.credit_at_decommission - down_blocks < 0) {
                    change(i, NodeStatus::deregistered, "decommission credit exhausted", outcome);
                    n.stake_unlocked_at_ms = now_ms + rules_.deregistration_lock_ms;
                }
            }
        }
    }

    if (outcome.swarms_changed)
        outcome.rebalance =
            swarm::rebalance_assignment(assignment_, swarm::rebalance_seed(outcome.hash));
    return outcome;
}

}  // namespace sessionsim::registry
