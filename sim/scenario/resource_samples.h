// The run's own footprint against simulated time (metrics.resource_sample_s): resident memory,
// wall time and events, beside the network's state (messages held, nodes running), so that a long
// run shows whether memory stays bounded and what it tracks. Memory and wall time belong to the
// host, not the simulation: resources.csv is the one results file that differs between two runs
// of the same scenario and seed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <vector>

#include "sim/scenario/feature.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// What the network holds at a sample (from the simulation: deterministic).
struct NetworkFootprint {
    std::uint64_t stored_messages = 0;  ///< copies on every node, running or not
    std::uint64_t nodes_running = 0;
    /// What the run's own records (one row per request and per message, kept for the results
    /// files) take, MiB: memory that grows with the run by design, apart from the network's.
    double records_mib = 0;
};

struct ResourceSample {
    double sim_s = 0, wall_s = 0;
    double rss_mib = 0;  ///< resident set now (/proc/self/statm), not the peak
    std::uint64_t events = 0;
    NetworkFootprint network;
};

/// The process's resident set now, MiB (0 where /proc is missing).
double current_rss_mib();

/// What `run` holds now.
NetworkFootprint network_footprint(const SessionRun& run);

class ResourceSampler : public Feature {
public:
    /// Samples every metrics.resource_sample_s simulated seconds from 0 (0: never); wall time
    /// counts from `wall_start`.
    ResourceSampler(const Scenario& sc, RunClock::time_point wall_start);
    std::string_view name() const override { return "resource samples"; }
    bool active() const override { return interval_s_ > 0; }
    /// Starts sampling (after every other feature has scheduled its events).
    void schedule(SessionRun& run) override;
    /// One more sample at the end of the run, unless one was just taken.
    void finish(SessionRun& run) override;
    /// resources.csv
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

    const std::vector<ResourceSample>& samples() const { return *samples_; }

private:
    void write_csv(std::ostream& out) const;
    static void record(std::vector<ResourceSample>& samples, RunClock::time_point wall_start,
                       const std::function<NetworkFootprint()>& footprint);

    double interval_s_;
    RunClock::time_point wall_start_;
    std::function<NetworkFootprint()> footprint_;
    std::shared_ptr<std::vector<ResourceSample>> samples_;
};

}  // namespace sessionsim::scenario
