// An external server on the simulated Internet (file server, push server, community server):
// it accepts the exit nodes' connections on 443 and answers each onion layer they relay with a
// sans-I/O server (models/server), after a processing delay. What it learns is in that
// server's own log; the trace source adds what the network shows it (the relaying node).
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include <ns3/application.h>
#include <ns3/ipv4-address.h>
#include <ns3/nstime.h>
#include <ns3/traced-callback.h>

#include "models/crypto/random.h"
#include "models/crypto/x25519.h"
#include "models/server/onion_server.h"
#include "sim/apps/connection.h"

namespace sessionsim::apps {

class ServerApp : public ns3::Application {
public:
    static ns3::TypeId GetTypeId();
    ServerApp() = default;

    /// `server` answers the requests; `keys` is its onion key pair; `seed` draws reply nonces.
    void Configure(std::shared_ptr<server::V4Server> server, crypto::X25519KeyPair keys,
                   std::uint64_t seed);
    server::V4Server& Server() { return *server_; }
    std::uint64_t Requests() const { return requests_; }

    using RequestTracedCallback = void (*)(ns3::Ipv4Address from, std::uint32_t request_bytes,
                                           std::uint32_t reply_bytes);

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// Runs after each request is answered (the push server subscribes to swarms here).
    virtual void after_request() {}

private:
    void on_frame(Connection& from, Frame frame);

    std::shared_ptr<server::V4Server> server_;
    crypto::X25519KeyPair keys_;
    std::unique_ptr<crypto::SeededRandom> random_;
    ns3::Time processing_delay_;
    std::unique_ptr<Listener> listener_;
    AcceptedConnections connections_;
    std::uint64_t requests_ = 0;
    ns3::TracedCallback<ns3::Ipv4Address, std::uint32_t, std::uint32_t> request_trace_;
};

}  // namespace sessionsim::apps
