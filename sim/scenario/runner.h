// Runs one scenario on the simulated network and writes its results folder:
//   config.toml (resolved), summary.json, provenance.json, messages.csv, requests.csv
#pragma once

#include <iosfwd>

#include <nlohmann/json.hpp>

#include "sim/scenario/run_options.h"
#include "sim/scenario/run_report.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// Runs and writes the folder; returns what the run reports (summary.json's content, the
/// console summary's lines, the run-table cells). Throws ScenarioError for settings the
/// network cannot honour (e.g. a matrix missing a country in use).
RunReport simulate(const Scenario& scenario, const RunOptions& options, std::ostream& progress);

/// simulate(...).summary: summary.json's content, for programs that read the results as data
/// (the Python module, the tests).
nlohmann::ordered_json run_scenario(const Scenario& scenario, const RunOptions& options,
                                    std::ostream& progress);

}  // namespace sessionsim::scenario
