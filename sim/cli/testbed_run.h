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
    double warmup_s = 0;  ///< clients only poll (and build paths) this long before sending
    std::size_t message_bytes = 100;
    /// A scenario file: its clients, seed, timing, message size and client settings replace the
    /// options above (duration_s, warmup_s, workload.*, client.*, onion.*). Either way the
    /// messages are the simulator's plan for that scenario and seed (same senders, recipients
    /// and times) and the clients have the simulator's identities.
    std::string scenario;
    std::string shared_dir;
    /// Crash and restart: `kill_nodes` nodes, drawn at random, get SIGKILL at kill_at_s and are
    /// started again (same database) at restart_at_s.
    std::size_t kill_nodes = 0;
    double kill_at_s = 0, restart_at_s = 0;
};

/// Runs the workload; returns the process exit code.
int run_testbed_workload(const TestbedRunArgs& args, CommandOutput& io);

}  // namespace sessionsim::cli
