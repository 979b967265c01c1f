// What drives a client around the protocol core: the core owns no connection, so how long its
// connections to nodes are kept and what opening one costs belong to its driver (the simulator's
// ClientApp, the testbed's ClientDriver). The defaults live here, beside ClientConfig's, so that
// the scenario schema, the ns-3 attributes and the testbed all read one value.
#pragma once

#include <cstdint>

namespace sessionsim::client {

struct DriverConfig {
    /// With the app open: close a connection to a node unused this long (guards in use never
    /// are: the client polls through them every few seconds).
    std::int64_t idle_timeout_ms = 600'000;
    /// With the app in the background: close a connection this long after its last use. The
    /// phone's OS suspends an app soon after a background fetch or push wakes it (iOS allows
    /// about 30 s), and a suspended app's connections go silent until the node drops them.
    std::int64_t background_idle_timeout_ms = 30'000;
    /// Extra round trips to open a connection to a guard (TLS over TCP: 1).
    int handshake_round_trips = 1;
};

}  // namespace sessionsim::client
