// Latency probes (workload.probe_interval_s, workload.probe_hops): every online client sends
// rounds of info requests to one random active node, one request per configured path length
// (0 = direct), at exponential gaps from the warm-up. Their round trips are the onion-latency
// measurements; requests.csv marks them as probes.
#pragma once

#include <vector>

#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// workload.probe_hops as path lengths. Throws ScenarioError naming the key for an item that is
/// not a length from 0 to 15, or an empty list.
std::vector<std::size_t> probe_hops(const Scenario& sc);

class LatencyProbes : public Feature {
public:
    explicit LatencyProbes(const Scenario& sc);
    std::string_view name() const override { return "latency probes"; }
    bool active() const override { return gap_s_ > 0; }
    /// Draws every client's probe times from the run's scenario stream.
    void schedule(SessionRun& run) override;

private:
    double gap_s_;  ///< mean time between a client's rounds
};

}  // namespace sessionsim::scenario
