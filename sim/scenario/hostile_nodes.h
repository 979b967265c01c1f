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
#include "sim/scenario/feature.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class HostileNodes : public Feature {
public:
    /// Draws round(hostile.fraction * n_initial) of the first `n_initial` nodes from its own
    /// stream ("hostile").
    HostileNodes(const Scenario& sc, std::size_t n_initial, std::uint64_t seed);
    std::string_view name() const override { return "hostile nodes"; }
    bool active() const override { return !indices_.empty(); }
    bool contains(const crypto::Ed25519PublicKey& node) const { return keys_.contains(node); }

    /// Gives each hostile node its plan (a 421 names up to seven hostile nodes as the swarm).
    void install(SessionRun& run) override;
    /// Marks the messages whose "stored" answer came from a hostile node.
    void on_direct_stored(SessionRun& run, MessageRecord& m,
                          const client::MessageStored& stored) override;
    /// The "hostile" block of summary.json: behaviour, acts, what clients saw, and the fate of
    /// the messages a hostile node acknowledged.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// hostile_nodes.csv: node, behaviour, every act counted, onion requests handled.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    node::MisbehaviourPlan plan_;
    std::vector<std::size_t> indices_;
    std::set<crypto::Ed25519PublicKey> keys_;
};

}  // namespace sessionsim::scenario
