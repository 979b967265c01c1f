// A testbed laid out from a scenario file: the simulator's own placement (same seed, same
// draws) gives the nodes their keys, addresses and locations and the clients theirs, and the
// scenario's latency model the round-trip time of every pair, which a namespace testbed's WAN
// emulator applies. So `sessionsim run FILE` and `sessionsim testbed up --scenario FILE --netns`
// put the same hosts in the same places.
#pragma once

#include <string>

#include "sim/scenario/scenario_config.h"
#include "testbed/netns.h"
#include "testbed/registry_file.h"

namespace sessionsim::testbed {

struct TestbedPlan {
    Registry registry;
    RttMatrix rtt_ms;  ///< nodes, then clients
};

/// `netns_prefix` empty: a loopback testbed (nodes at 127.0.i+1.1, locations recorded, no
/// delays). Otherwise nodes keep the simulator's 10.x addresses (several per /24, as placed)
/// and clients get 10.200.x.y. Churn joiners are not started.
TestbedPlan plan_testbed(const scenario::Scenario& sc, const std::string& shared_dir,
                         std::uint16_t port, const std::string& netns_prefix);

}  // namespace sessionsim::testbed
