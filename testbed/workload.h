// The testbed's run loop (`sessionsim testbed run`): a workload of real clients against a running
// testbed (testbed up), recorded in the simulator's results tables (messages.csv, requests.csv,
// summary.json) so that the two can be compared with the same analysis. It plans and judges
// messages with the ns-3-free scenario library, as the simulator does, and knows nothing of the
// command line that calls it.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace sessionsim::testbed {

struct WorkloadArgs {
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

/// Runs the workload, writing progress (crashes, restarts) and the summary to `out`; returns the
/// process exit code. Throws InvalidInput for arguments or a testbed it cannot run.
int run_workload(const WorkloadArgs& args, std::ostream& out);

}  // namespace sessionsim::testbed
