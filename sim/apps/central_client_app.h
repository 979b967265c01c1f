// ns-3 Application for a client of the centralized baseline: central::MessengerClient over one
// long-lived connection to its home data centre. When the connection dies -- noticed by a send
// left unacknowledged for AckTimeout or a keep-alive left unanswered -- the app reconnects every
// ReconnectInterval; the outbox goes out again on each new connection. Reports to the same
// observer as the Session client, so both messengers fill the same result tables.
#pragma once

#include <memory>

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>
#include <ns3/nstime.h>

#include "models/central/messenger_client.h"
#include "sim/apps/client_app.h"
#include "sim/apps/connection.h"

namespace sessionsim::apps {

class CentralClientApp : public ns3::Application {
public:
    static ns3::TypeId GetTypeId();
    CentralClientApp() = default;

    void Configure(identity::Identity identity, ns3::Ipv4Address datacentre, std::uint64_t seed,
                   ClientObserver observer);

    /// Sends a text message now (or as soon as connected); returns its message id.
    std::uint64_t SendText(const identity::AccountId& recipient, const std::string& text);
    const central::MessengerClient& Client() const { return *client_; }
    std::uint64_t Reconnects() const { return reconnects_; }

protected:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

private:
    void connect();
    void process(central::MessengerEvents events);
    void on_frame(Frame frame);
    void on_closed();
    void keepalive();
    void check_acks();
    void arm_ack_check();
    void drop_connection();

    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<central::MessengerClient> client_;
    ns3::Ipv4Address datacentre_;
    ClientObserver observer_;
    std::shared_ptr<Connection> connection_;
    ns3::EventId reconnect_event_, keepalive_event_, ack_event_;
    std::uint64_t ping_nonce_ = 0;
    std::uint64_t reconnects_ = 0;
    bool running_ = false;
    bool refused_ = false;
    ns3::Time reconnect_interval_, keepalive_interval_, ack_timeout_;
    int handshake_round_trips_ = 1;
};

}  // namespace sessionsim::apps
