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
    /// Extra round trips to open a connection to a guard, after the transport's own first
    /// round trip (TCP's SYN exchange, which both levels of the simulator pay): TLS 1.3 over
    /// TCP adds 1; QUIC's handshake is that one round trip, so it adds 0.
    int handshake_round_trips = 1;
    /// Whether a connection to a guard serves more than one request: kept open until idle
    /// (keep_alive), or opened for one request and closed after its answer (per_request:
    /// session desktop's snodeHttpsAgent is a Node https.Agent without keepAlive).
    enum class Reuse { keep_alive, per_request };
    Reuse reuse = Reuse::keep_alive;
    /// Whether concurrent requests to one node share its kept connection, answered in any
    /// order (QUIC's streams; the simulator's connections always do), or each needs a
    /// connection of its own (HTTP/1.1: OkHttp's pool opens a second connection for a second
    /// request in flight). The testbed follows it; the simulator does not yet.
    bool multiplexed = true;
    /// Liveness of a kept connection to a node, as QUIC watches it (libsession: libquic's
    /// `keep_alive` 10 s, its default idle timeout 30 s, and a 3 s handshake timeout). 0 turns
    /// each off: then TCP's own retries apply, and requests find a dead guard at their timeout.
    /// Send a keep-alive ping once a connection has been silent this long.
    std::int64_t keep_alive_ms = 0;
    /// Give a connection up once something sent on it has waited this long for the peer's
    /// acknowledgement. When one is given up (or the peer closes it), the requests on it fail at
    /// once, as a QUIC connection's streams do, and the client is told (on_connection_lost).
    std::int64_t liveness_timeout_ms = 0;
    /// Give a connection up if it has not opened this long after it was started.
    std::int64_t handshake_timeout_ms = 0;
    /// Whether any of the above is on.
    bool watches_liveness() const {
        return keep_alive_ms > 0 || liveness_timeout_ms > 0 || handshake_timeout_ms > 0;
    }
};

}  // namespace sessionsim::client
