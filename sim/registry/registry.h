// The service-node registry, block by block: registrations, uptime proofs, obligation quorums
// testing a sample of nodes, decommission / recommission / deregistration with credits, stake
// unlocks, and oxend's swarm rebalance whenever the active set changes. No ns-3: the runner
// calls produce_block() every block_ms and tells it which nodes are really up; the registry
// only learns that the way the chain does (proofs stop, reachability tests fail).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/bytes.h"
#include "models/swarm/assignment.h"
#include "sim/registry/rules.h"

namespace sessionsim::registry {

enum class NodeStatus { pending, active, decommissioned, deregistered, unlocked };
const char* status_name(NodeStatus status);

struct StateChange {
    std::size_t node = 0;
    NodeStatus from = NodeStatus::pending;
    NodeStatus to = NodeStatus::pending;
    std::int64_t height = 0;
    std::string reason;  ///< "registered", "no recent uptime proof", "unreachable", ...
};

struct BlockOutcome {
    std::int64_t height = 0;
    FixedBytes<32> hash{};
    std::size_t tested = 0;  ///< nodes the obligations quorum tested
    int votes = 0;           ///< validators able to vote (state changes need rules.min_votes)
    std::vector<StateChange> changes;
    bool swarms_changed = false;
    swarm::RebalanceReport rebalance;
};

class Registry {
public:
    Registry(RegistryRules rules, std::uint64_t seed);

    /// A node registered `age_ms` before time 0 and up since then (credit earned accordingly).
    std::size_t add_existing(const swarm::NodeKey& key, std::int64_t age_ms);
    /// Places the nodes added so far in swarms (oxend's rebalance with `rebalance_seed`): the
    /// network as it stands at time 0.
    swarm::RebalanceReport start(std::uint64_t rebalance_seed);
    /// A registration at now_ms: active (and up) from the next block, with the initial credit.
    std::size_t register_node(const swarm::NodeKey& key, std::int64_t now_ms);
    /// Ground truth from the failure model: the node stops (or resumes) sending proofs and
    /// answering reachability tests at now_ms.
    void set_online(std::size_t node, bool online, std::int64_t now_ms);
    /// The operator asks to unlock the stake: the node leaves after rules.unlock_ms.
    void request_unlock(std::size_t node, std::int64_t now_ms);

    /// Block `height() + 1` at now_ms. Rebalances swarms if the active set changed.
    BlockOutcome produce_block(std::int64_t now_ms);

    std::int64_t height() const { return height_; }
    const RegistryRules& rules() const { return rules_; }
    std::size_t size() const { return nodes_.size(); }
    NodeStatus status(std::size_t node) const { return nodes_.at(node).status; }
    const swarm::NodeKey& key(std::size_t node) const { return nodes_.at(node).key; }
    /// Active nodes and their swarms (what storage servers and clients learn from the chain).
    const swarm::SwarmAssignment& assignment() const { return assignment_; }
    std::size_t count(NodeStatus status) const;
    /// How many of `testable` nodes a block's quorum tests (oxend: min(n, max(50, n/100))).
    std::size_t nodes_to_test(std::size_t testable) const;
    /// The chance that a given active node is tested by the next block's quorum as the network
    /// stands: it is not drawn among the validators, then it is among the nodes sampled.
    double test_chance() const;
    /// Decommission credit in blocks at `height`, for an active node.
    double credit_blocks(std::size_t node, std::int64_t height) const;
    /// Whether the node passes the quorum's checks at now_ms, and the first failed check.
    std::optional<std::string> failed_check(std::size_t node, std::int64_t now_ms) const;
    /// The time of the node's last uptime proof at or before now_ms (proofs go out when the
    /// node comes up and then every proof_interval_ms while it stays up).
    std::int64_t last_proof_ms(std::size_t node, std::int64_t now_ms) const;

private:
    struct Node {
        swarm::NodeKey key{};
        NodeStatus status = NodeStatus::pending;
        bool online = true;
        std::int64_t up_since_ms = 0;    ///< last time it came up
        std::int64_t down_since_ms = 0;  ///< last time it went down (when !online)
        std::int64_t active_since_height = 0;
        double credit_base_blocks = 0;  ///< credit when it became active
        std::int64_t decommissioned_height = 0;
        double credit_at_decommission = 0;
        std::optional<std::int64_t> unlock_at_ms;
        std::optional<std::int64_t> stake_unlocked_at_ms;
    };

    void change(std::size_t node, NodeStatus to, std::string reason, BlockOutcome& outcome);
    bool can_vote(const Node& n, std::int64_t now_ms) const;

    RegistryRules rules_;
    std::uint64_t seed_;
    std::int64_t height_ = 0;
    std::vector<Node> nodes_;
    swarm::SwarmAssignment assignment_;
};

}  // namespace sessionsim::registry
