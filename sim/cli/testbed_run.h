// sessionsim testbed run: a workload of real clients against a running testbed (testbed up),
// recorded in the simulator's results tables (messages.csv, requests.csv, summary.json) so that
// the two can be compared with the same analysis.
#pragma once

#include <cstdint>
#include <string>

#include "sim/cli/command.h"

namespace sessionsim::cli {

struct TestbedRunArgs {
    std::string dir = "testbed-run";  ///< the folder `testbed up` used
    std::size_t clients = 20;
    double duration_s = 60;
    double message_interval_s = 20;  ///< mean time between one client's messages (exponential)
    double poll_interval_s = 5;
    double drain_s = 10;  ///< keep polling this long after the last message
    std::uint64_t seed = 1;
    std::string out = "results/testbed";
};

/// Runs the workload; returns the process exit code.
int run_testbed_workload(const TestbedRunArgs& args, CommandOutput& io);

}  // namespace sessionsim::cli
