#include "sim/apps/central_client_app.h"

#include <ns3/integer.h>
#include <ns3/simulator.h>

#include "models/central/driver_config.h"
#include "models/common/errors.h"
#include "sim/apps/central_server_app.h"
#include "sim/apps/directory.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(CentralClientApp);

using namespace ns3;

TypeId CentralClientApp::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::CentralClientApp")
            .SetParent<Application>()
            .SetGroupName("sessionsim")
            .AddConstructor<CentralClientApp>()
            .AddAttribute("ReconnectInterval", "Wait this long before reconnecting",
                          TimeValue(MilliSeconds(central::DriverConfig{}.reconnect_interval_ms)),
                          MakeTimeAccessor(&CentralClientApp::reconnect_interval_),
                          MakeTimeChecker())
            .AddAttribute("KeepaliveInterval",
                          "Ping the data centre this often; a ping unanswered by the next one "
                          "means the connection is dead",
                          TimeValue(MilliSeconds(central::DriverConfig{}.keepalive_interval_ms)),
                          MakeTimeAccessor(&CentralClientApp::keepalive_interval_),
                          MakeTimeChecker())
            .AddAttribute("AckTimeout",
                          "A send unacknowledged this long means the connection is dead",
                          TimeValue(MilliSeconds(central::DriverConfig{}.ack_timeout_ms)),
                          MakeTimeAccessor(&CentralClientApp::ack_timeout_), MakeTimeChecker())
            .AddAttribute("HandshakeRoundTrips",
                          "Extra round trips to open the connection (TLS over TCP: 1)",
                          IntegerValue(central::DriverConfig{}.handshake_round_trips),
                          MakeIntegerAccessor(&CentralClientApp::handshake_round_trips_),
                          MakeIntegerChecker<int>(0, 5));
    return tid;
}

void CentralClientApp::Configure(identity::Identity identity, Ipv4Address datacentre,
                                 std::uint64_t seed, ClientObserver observer) {
    random_ = std::make_unique<crypto::SeededRandom>(
        seed, "central client " + identity.session_id().to_hex());
    client_ = std::make_unique<central::MessengerClient>(std::move(identity), *random_);
    datacentre_ = datacentre;
    observer_ = std::move(observer);
}

void CentralClientApp::StartApplication() {
    running_ = true;
    // Desynchronise clients: the first connection falls anywhere in the first 5 s.
    reconnect_event_ =
        Simulator::Schedule(MilliSeconds(static_cast<std::int64_t>(random_->uniform(5000))),
                            &CentralClientApp::connect, this);
}

void CentralClientApp::StopApplication() {
    running_ = false;
    reconnect_event_.Cancel();
    keepalive_event_.Cancel();
    ack_event_.Cancel();
    if (connection_)
        connection_->close();
}

void CentralClientApp::DoDispose() {
    connection_.reset();
    Application::DoDispose();
}

void CentralClientApp::connect() {
    if (!running_ || refused_)
        return;
    // The previous connection, if any, is closed; replacing it here (not in its own close
    // callback) keeps it alive until that callback has returned.
    connection_ = transport_of(GetNode()).connect(
        GetNode(), datacentre_, kOperatorPort, handshake_round_trips_,
        [this](Connection&, Frame f) { on_frame(std::move(f)); },
        [this](Connection& c) {
            if (&c == connection_.get())
                on_closed();
        });
    ping_nonce_ = client_->last_pong();
    process(client_->on_connected(protocol_now_ms()));
    keepalive_event_ = Simulator::Schedule(keepalive_interval_, &CentralClientApp::keepalive, this);
    arm_ack_check();
}

void CentralClientApp::on_closed() {
    client_->on_disconnected();
    keepalive_event_.Cancel();
    ack_event_.Cancel();
    if (!running_ || refused_)
        return;
    ++reconnects_;
    reconnect_event_ = Simulator::Schedule(reconnect_interval_, &CentralClientApp::connect, this);
}

void CentralClientApp::drop_connection() {
    if (connection_ && !connection_->closed())
        connection_->close();  // runs on_closed through the connection's callback
}

std::uint64_t CentralClientApp::SendText(const identity::AccountId& recipient,
                                         const std::string& text) {
    auto [id, events] = client_->send_text(recipient, text, protocol_now_ms());
    process(std::move(events));
    arm_ack_check();
    return id;
}

void CentralClientApp::process(central::MessengerEvents events) {
    for (auto& event : events) {
        if (auto* out = std::get_if<central::ToOperator>(&event)) {
            if (connection_ && !connection_->closed())
                connection_->send(
                    encode_frame({FrameKind::operator_client, 0, std::move(out->bytes)}));
        } else if (std::holds_alternative<central::LoginRefused>(event)) {
            refused_ = true;  // a misconfigured client: retrying cannot help
            drop_connection();
        } else if (auto* stored = std::get_if<client::MessageStored>(&event)) {
            if (observer_.stored)
                observer_.stored(*stored);
        } else if (auto* received = std::get_if<client::MessageReceived>(&event)) {
            if (observer_.received)
                observer_.received(*received);
        }
    }
}

void CentralClientApp::on_frame(Frame frame) {
    if (frame.kind != FrameKind::operator_client)
        return;
    try {
        process(client_->on_bytes(frame.payload, protocol_now_ms()));
    } catch (const InvalidInput&) {
        drop_connection();  // the stream is corrupt: start over
    }
}

void CentralClientApp::keepalive() {
    if (!connection_ || connection_->closed())
        return;
    if (client_->last_pong() != ping_nonce_) {
        drop_connection();  // the last ping went unanswered
        return;
    }
    process(client_->ping(++ping_nonce_));
    keepalive_event_ = Simulator::Schedule(keepalive_interval_, &CentralClientApp::keepalive, this);
}

void CentralClientApp::arm_ack_check() {
    if (ack_event_.IsRunning())
        return;
    const auto oldest = client_->oldest_unacked_ms();
    if (!oldest)
        return;
    const auto due = MilliSeconds(*oldest - protocol_now_ms()) + ack_timeout_;
    ack_event_ =
        Simulator::Schedule(Max(due, MilliSeconds(1)), &CentralClientApp::check_acks, this);
}

void CentralClientApp::check_acks() {
    const auto oldest = client_->oldest_unacked_ms();
    if (oldest && MilliSeconds(protocol_now_ms() - *oldest) >= ack_timeout_) {
        drop_connection();
        return;
    }
    arm_ack_check();
}

}  // namespace sessionsim::apps
