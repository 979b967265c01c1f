// A client of the centralized messenger, sans-I/O. It keeps an outbox on the device: a message
// stays there, and is sent again after every reconnect, until the operator says it is stored
// (so an outage delays messages rather than losing them, as WhatsApp's "clock" tick shows).
// Incoming messages are decrypted and acknowledged; a message seen twice (a re-delivery after a
// lost ack) is reported once.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "models/central/operator_protocol.h"
#include "models/client/client.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"

namespace sessionsim::central {

/// Bytes for the operator, on the current connection.
struct ToOperator {
    std::string bytes;
};
/// The operator refused the login: the connection is useless; reconnecting will not help.
struct LoginRefused {
    int status = 0;
};
using MessengerEvent =
    std::variant<ToOperator, LoginRefused, client::MessageStored, client::MessageReceived>;
using MessengerEvents = std::vector<MessengerEvent>;

class MessengerClient {
public:
    MessengerClient(identity::Identity identity, crypto::RandomSource& random);

    /// A new connection to the home data centre is up (or queued): log in, resend the outbox.
    MessengerEvents on_connected(std::int64_t now_ms);
    /// The connection is gone: nothing is in flight any more.
    void on_disconnected() { connected_ = false; }
    /// Encrypts `text` for `recipient` and sends it if connected; returns the message id.
    std::pair<std::uint64_t, MessengerEvents> send_text(const identity::AccountId& recipient,
                                                        const std::string& text,
                                                        std::int64_t now_ms);
    MessengerEvents ping(std::uint64_t nonce) const;
    /// One message from the operator. Throws InvalidInput on a malformed one.
    MessengerEvents on_bytes(std::string_view bytes, std::int64_t now_ms);

    const identity::Identity& identity() const { return identity_; }
    std::size_t outbox_size() const { return outbox_.size(); }
    /// The oldest unacknowledged send on this connection, if any (for the app's ack timeout).
    std::optional<std::int64_t> oldest_unacked_ms() const;
    std::uint64_t last_pong() const { return last_pong_; }

private:
    struct Outgoing {
        Send send;
        std::int64_t first_sent_ms = 0;
        std::int64_t sent_on_connection_ms = 0;
        int attempts = 0;
    };
    ToOperator transmit(Outgoing& o, std::int64_t now_ms);

    identity::Identity identity_;
    crypto::RandomSource& random_;
    bool connected_ = false;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Outgoing> outbox_;
    std::set<std::pair<std::string, std::uint64_t>> received_;
    std::uint64_t last_pong_ = 0;
};

}  // namespace sessionsim::central
