// What drives a client of the centralized baseline around its protocol core (MessengerClient):
// when it reconnects, how it finds a dead connection, and what opening one costs. The defaults
// live here so that the scenario schema and the ns-3 attributes read one value.
#pragma once

#include <cstdint>

#include "models/client/client_config.h"
#include "models/client/driver_config.h"

namespace sessionsim::central {

struct DriverConfig {
    /// Wait this long after losing the connection before reconnecting.
    std::int64_t reconnect_interval_ms = 10'000;
    /// Ping the data centre this often; a ping unanswered by the next one means the connection
    /// is dead.
    std::int64_t keepalive_interval_ms = 60'000;
    /// A send unacknowledged this long means the connection is dead. A scenario sets it with
    /// client.request_timeout_s, the Session client's request timeout, so both messengers share
    /// one default.
    std::int64_t ack_timeout_ms = client::ClientConfig{}.request_timeout_ms;
    /// Extra round trips to open the connection (TLS over TCP: 1); client.handshake_round_trips
    /// sets it, as it does the Session client's.
    int handshake_round_trips = client::DriverConfig{}.handshake_round_trips;
};

}  // namespace sessionsim::central
