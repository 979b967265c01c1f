// The figures of each client profile in a run (client.profile other than composite, or a mix):
// onion round trips of its clients' requests, delivery delay of the messages its clients
// received, the load its clients make, and what its rules cost (guard tests, rotations, sync
// copies). summary.json's "profiles" block and a console line per profile; both the simulator
// and the testbed report through it.
#pragma once

#include <string>
#include <vector>

#include "models/client/client.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_report.h"

namespace sessionsim::scenario {

struct ProfileFigures {
    std::string profile;
    std::size_t clients = 0;
    Distribution onion_rtt_ms;       ///< requests made by its clients
    Distribution delivery_delay_ms;  ///< messages its clients received
    std::size_t messages_received = 0, messages_sent = 0, messages_delivered = 0;
    double requests_per_client_hour = 0, polls_per_client_hour = 0;
    std::uint64_t request_timeouts = 0, polls_failed = 0, paths_built = 0, paths_dropped = 0,
                  paths_rotated = 0, guard_tests = 0, guard_tests_failed = 0, sync_stored = 0,
                  pool_refreshes = 0;
    nlohmann::ordered_json to_json() const;
};

/// One entry per profile in use, in first-use order. `profiles[c]` is client c's profile.
std::vector<ProfileFigures> measure_profiles(const std::vector<std::string>& profiles,
                                             const std::vector<const client::Client*>& clients,
                                             const std::vector<MessageRecord>& messages,
                                             const std::vector<RequestRow>& requests,
                                             double duration_s);

/// summary.json's "profiles" block and a "profile <name>" line each; nothing for a run of
/// composite clients alone (its results stay as they were before profiles existed).
void report_profiles(const std::vector<ProfileFigures>& figures, RunReport& report);

}  // namespace sessionsim::scenario
