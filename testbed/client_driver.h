// A Session client as a real program: the protocol core's Client driven by HTTP requests to the
// testbed's nodes (onion requests to a guard's /onion_req/v2, direct /storage_rpc/v1 calls),
// with the wall clock. What the client reports (stored, received, failed) is kept for the caller.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "models/client/client.h"
#include "models/client/driver_config.h"
#include "models/crypto/random.h"
#include "testbed/http_client.h"
#include "testbed/peer_link.h"
#include "testbed/registry_file.h"

namespace sessionsim::testbed {

/// One request the client made, as the results tables record it.
struct RequestSeen {
    std::uint64_t request_id = 0;
    crypto::Ed25519PublicKey guard{}, destination{};
    std::chrono::steady_clock::time_point start, end;
    int status = 0;        ///< 0: no answer (timeout, refused)
    std::size_t hops = 0;  ///< 0: a direct request
};

/// What the client reported, with the moment the reply that produced it arrived: the caller's
/// loop reads these some milliseconds later, and a message's times must not include that wait
/// (the simulator records them as the reply arrives).
template <class Event>
struct Reported {
    Event event;
    std::chrono::steady_clock::time_point at;
};

/// With the app open a client keeps its guard connection this long unused (the default of the
/// simulator's client.idle_timeout_s too).
inline constexpr std::chrono::milliseconds kClientIdleTimeout{
    client::DriverConfig{}.idle_timeout_ms};

class ClientDriver {
public:
    /// `multiplexed`: requests go as frames of one TLS connection per node, to the node's
    /// client channels (peer_link.h), as QUIC streams go; else each request in flight has an
    /// HTTPS connection of its own (HTTP/1.1), reused per `http`.
    ClientDriver(boost::asio::io_context& io, const Registry& registry, identity::Identity identity,
                 std::uint64_t seed, client::ClientConfig config = {},
                 HttpClientOptions http = {.idle_timeout = kClientIdleTimeout,
                                           .local_address = {},
                                           .tls = nullptr},
                 bool multiplexed = false);

    client::Client& client() { return *client_; }
    const client::Client& client() const { return *client_; }
    /// Queues a text message (sent through a 3-hop onion path); returns the client's message id.
    std::uint64_t send_text(const identity::AccountId& to, const std::string& text);
    /// Polls the own swarm (a new client at once; then when its poll interval says so).
    void poll();
    /// What a running app does by itself: polls on its schedule, the first time at a random
    /// point of the first interval (drawn as the simulator's ClientApp draws it).
    void tick();
    /// Requests still waiting for an answer.
    std::size_t in_flight() const { return in_flight_; }
    /// Connections to nodes opened so far.
    std::size_t connections_opened() const;
    /// Whether requests go as frames of one connection per node (see the constructor).
    bool multiplexed() const { return multiplexed_ != nullptr; }

    std::vector<Reported<client::MessageStored>> stored;
    std::vector<Reported<client::MessageReceived>> received;
    std::vector<Reported<client::MessageFailed>> failed;
    std::uint64_t onion_requests = 0, failed_requests = 0;
    /// Called as each request ends (optional).
    std::function<void(const RequestSeen&)> on_request;

private:
    static std::int64_t now_ms();
    /// Carries out what the client asked for and keeps what it reported, as of `at` (the
    /// moment the reply or timer that produced the events arrived).
    void process(client::ClientEvents events,
                 std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now());
    /// Wakes the client when its next poll is due, as the simulator's ClientApp schedules it:
    /// polling only when the caller's loop comes round would start each poll some milliseconds
    /// late, and a schedule counted from each poll's start (a fixed clock) would drift by that
    /// much every cycle (about 1.3 ms a second with a 10 ms loop, 230 ms over a 180 s run).
    void schedule_poll();
    void post(const client::NodeInfo& node, const char* target, std::string body,
              std::int64_t timeout_ms, RequestSeen seen);

    boost::asio::io_context& io_;
    boost::asio::steady_timer poll_timer_;
    std::shared_ptr<const storage::SwarmView> contacts_;  ///< where each node listens
    client::NodePool pool_;  ///< the registry's node list, for refreshes
    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<client::Client> client_;
    std::size_t in_flight_ = 0;
    std::int64_t first_poll_ms_ = 0;
    HttpClient http_;
    std::unique_ptr<PeerClient> multiplexed_;  ///< set: requests go as frames (see constructor)
};

}  // namespace sessionsim::testbed
