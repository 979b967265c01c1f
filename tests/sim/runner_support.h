// The small scenario the runner tests share, and running it (runner_test.cc and
// runner_features_test.cc).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/runner.h"
#include "sim/scenario/scenario_config.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario::test_runner {

namespace fs = std::filesystem;

inline std::string shared_dir() {
    return (test::vectors_dir() / "..").string();
}

// The client these tests' expected values were worked out for: sessionsim's first one.
inline const std::vector<std::string> kSmall{"client.profile=composite",
                                             "network.service_nodes=24",
                                             "network.clients=8",
                                             "duration_s=90",
                                             "warmup_s=5",
                                             "workload.message_interval_s=15",
                                             "network.latency_model=uniform",
                                             "network.uniform_one_way_ms=30"};

/// Runs the small scenario plus `extra` keys into a fresh temp folder `name`.
inline nlohmann::json run_small(const std::string& name, const std::vector<std::string>& extra,
                                fs::path* dir_out = nullptr) {
    const auto dir = fs::temp_directory_path() / name;
    fs::remove_all(dir);
    auto keys = kSmall;
    keys.insert(keys.end(), extra.begin(), extra.end());
    std::ostringstream quiet;
    if (dir_out)
        *dir_out = dir;
    return run_scenario(Scenario::load(std::nullopt, keys), {dir.string(), shared_dir(), false},
                        quiet);
}

}  // namespace sessionsim::scenario::test_runner
