// Where a scenario's hosts are and how far apart: the latency model it names and the placement
// of its service nodes and clients. The simulator builds its WAN from this plan, and the
// namespace testbed its netem delays, so both put the same hosts in the same places.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/crypto/random.h"
#include "sim/net/csv_table.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct NetworkPlan {
    std::unique_ptr<net::LatencyModel> model;
    const net::MeasuredLatency* cities = nullptr;  ///< the model, if it is the measured one
    std::vector<net::PlacedHost> nodes;            ///< initial nodes, then the churn joiners
    std::vector<net::PlacedHost> clients;
};

/// The model `network.latency_model` names (measured data from `shared_dir`/data). Throws
/// ScenarioError naming the key.
std::unique_ptr<net::LatencyModel> latency_model(const Scenario& sc, const std::string& shared_dir,
                                                 const net::MeasuredLatency*& cities);

/// The model, then nodes and clients placed with `random` (the run's "scenario" stream: the
/// draws made here come first in every run).
NetworkPlan plan_network(const Scenario& sc, const std::string& shared_dir,
                         crypto::RandomSource& random);

}  // namespace sessionsim::scenario
