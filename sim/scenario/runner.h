// Runs one scenario on the simulated network and writes its results folder:
//   config.toml (resolved), summary.json, provenance.json, messages.csv, requests.csv
#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct RunOptions {
    std::string out_dir;
    std::string shared_dir;  ///< holds data/ (measured latencies)
    bool progress = true;    ///< a progress line on stderr for runs longer than a few seconds
    /// Rewrite one line in place (a terminal); otherwise a full line every 30 s of wall time,
    /// so that a log file gets a readable record instead of thousands of carriage returns.
    bool progress_in_place = true;
};

/// Runs and writes the folder; returns summary.json's content. Throws ScenarioError for
/// settings the network cannot honour (e.g. a matrix missing a country in use).
nlohmann::ordered_json run_scenario(const Scenario& scenario, const RunOptions& options,
                                    std::ostream& progress);

}  // namespace sessionsim::scenario
