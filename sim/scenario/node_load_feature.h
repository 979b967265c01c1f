// Load by traffic type (metrics.node_load): every service node's hop views, classified and
// counted (observe/node_load.h), into summary.json's "load" block and node_load.csv.
#pragma once

#include <optional>

#include "sim/observe/node_load.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class NodeLoadMetric : public Feature {
public:
    explicit NodeLoadMetric(const Scenario& sc);
    std::string_view name() const override { return "node load"; }
    bool active() const override { return enabled_; }
    /// Counts what every node's HopObserved trace reports.
    void install(SessionRun& run) override;
    void summarize(const SessionRun& run, RunReport& report) override;
    /// node_load.csv
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    bool enabled_;
    std::optional<observe::NodeLoad> load_;
};

}  // namespace sessionsim::scenario
