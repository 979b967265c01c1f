// The centralized baseline's run (messenger = "central"): the same clients, at the same places,
// with the same identities and workload as a Session run of the scenario, connected to one
// operator's data centres instead of onion-routing to swarms. Writes the same tables
// (messages.csv, summary.json, hosts.csv, provenance.json) plus operator_log.csv -- everything
// the operator records -- and summary.json's "operator" block: what that log reveals, scored
// against the truth (metrics-and-validation.md §1.5, §4).
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/run_report.h"
#include "sim/scenario/run_support.h"

namespace sessionsim::scenario {

struct CentralInputs {
    RunClock::time_point wall_start;
    std::uint64_t seed = 0;
    const net::LatencyModel& model;
    const net::MeasuredLatency* cities = nullptr;
    std::vector<net::PlacedHost> client_hosts;  ///< as the Session run places them
};

RunReport run_central(const Scenario& sc, const RunOptions& options, std::ostream& progress,
                      const CentralInputs& inputs);

}  // namespace sessionsim::scenario
