// What drives a service node around the protocol core: the core owns no connection and spends
// no time, so how long the connections it opens are kept, what opening one costs and (in the
// simulator) the CPU time a request is charged belong to its driver (the simulator's
// ServiceNodeApp, the testbed's NodeDaemon). The defaults live here so that the scenario schema,
// the ns-3 attributes and the testbed all read one value.
#pragma once

#include <cstdint>

namespace sessionsim::node {

struct DriverConfig {
    /// Close a connection this node opened (to a peer or a server) once idle this long: OxenMQ's
    /// DEFAULT_SEND_KEEP_ALIVE, which the storage server's onion relay (send_onion_to_sn) does
    /// not override.
    std::int64_t idle_timeout_ms = 30'000;
    /// Extra round trips to open a node-to-node connection (TLS/CurveZMQ: 1).
    int handshake_round_trips = 1;
    /// CPU time a simulated node is charged per request handled (peel, store, reply): the
    /// measured cost of peeling one layer (bench_protocol), so that simulated latencies include
    /// the crypto a real node does. A testbed node spends its own.
    std::int64_t processing_delay_us = 40;
};

}  // namespace sessionsim::node
