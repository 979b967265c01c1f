// The run's hostile service nodes (hostile.*): which nodes misbehave and how, installed on their
// apps (across restarts), and what they caused -- their acts, counted per node into
// hostile_nodes.csv, beside what the clients saw (timeouts, dropped paths, 421s, refused
// answers) and the messages a hostile node acknowledged, in summary.json's "hostile" block.
// Unlike adversary.* (nodes that watch and keep to the protocol), these nodes break it.
#pragma once

#include <ostream>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "models/node/misbehaviour.h"
#include "sim/apps/service_node_app.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class HostileNodes {
public:
    /// Draws round(hostile.fraction * n_initial) of the first `n_initial` nodes from `random`.
    HostileNodes(const Scenario& sc, std::size_t n_initial, crypto::RandomSource& random);

    bool active() const { return !indices_.empty(); }
    bool contains(const crypto::Ed25519PublicKey& node) const { return keys_.contains(node); }

    /// Gives each hostile node its plan; `contacts[i]` is node i's contact (a 421 names up to
    /// seven hostile nodes as the swarm).
    void install(const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps,
                 const std::vector<storage::NodeContact>& contacts);

    /// The "hostile" block of summary.json: behaviour, acts, what clients saw, and the fate of
    /// the messages a hostile node acknowledged.
    nlohmann::ordered_json summary(const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps,
                                   const nlohmann::ordered_json& client_costs,
                                   const std::vector<MessageRecord>& messages) const;
    /// hostile_nodes.csv: node, behaviour, every act counted, onion requests handled.
    void write_csv(std::ostream& out,
                   const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps) const;

private:
    node::MisbehaviourPlan plan_;
    std::vector<std::size_t> indices_;
    std::set<crypto::Ed25519PublicKey> keys_;
};

}  // namespace sessionsim::scenario
