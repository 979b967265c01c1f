// A scenario's client settings as the protocol core's ClientConfig: the simulator's clients and
// the testbed's real ones are configured from the same keys by this one function.
#pragma once

#include "models/client/client_config.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// `background`: the app polls at client.background_poll_interval_s (the background modes).
client::ClientConfig client_config_for(const Scenario& sc, bool background);

}  // namespace sessionsim::scenario
