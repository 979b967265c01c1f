// The centralized baseline's wire messages: a WhatsApp-style messenger in which each client logs
// in to the operator with its account over one long-lived connection, and the operator routes
// messages by account between its data centres. Content is end-to-end encrypted (the same
// sign-then-seal as Session's one-to-one messages); the routing metadata -- sender account and
// address, recipient account, time, size -- is in the operator's hands by design, which is what
// the baseline is for (metrics-and-validation.md §4). Messages are bencoded dictionaries with a
// one-letter type "t"; this is not any real messenger's byte format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"

namespace sessionsim::central {

/// Client -> home data centre: who I am, proven by an Ed25519 signature over login_message().
struct Login {
    std::string account;  ///< "05" Session-style id: the X25519 form of `ed25519`
    crypto::Ed25519PublicKey ed25519{};
    std::int64_t timestamp_ms = 0;
    crypto::Ed25519Signature signature{};
};
struct LoginAck {
    int status =
        200;  ///< 200, 401 bad signature/account, 406 clock skew, 421 not this account's DC
};
/// Client -> data centre: one encrypted message for `recipient`. `id` is the sender's own
/// sequence number; (sender, id) names the message across retries.
struct Send {
    std::uint64_t id = 0;
    std::string recipient;
    Bytes ciphertext;
};
struct SendAck {
    std::uint64_t id = 0;
    int status = 200;  ///< 200 stored at the recipient's data centre; else refused (retry later)
};
/// Data centre -> recipient: a message from its mailbox. `delivery` names it for the ack.
struct Deliver {
    std::uint64_t delivery = 0;
    std::string sender;
    std::uint64_t id = 0;
    Bytes ciphertext;
};
struct DeliverAck {
    std::uint64_t delivery = 0;
};
/// Keep-alive: how a client notices a dead connection when it has nothing to send.
struct Ping {
    std::uint64_t nonce = 0;
};
struct Pong {
    std::uint64_t nonce = 0;
};
/// Data centre -> the recipient's data centre, over the operator's backbone.
struct Relay {
    std::size_t from_dc = 0;
    std::string sender, recipient;
    std::uint64_t id = 0;
    Bytes ciphertext;
};
struct RelayAck {
    std::string sender;
    std::uint64_t id = 0;
    int status = 200;
};

using Message =
    std::variant<Login, LoginAck, Send, SendAck, Deliver, DeliverAck, Ping, Pong, Relay, RelayAck>;

std::string encode(const Message& message);
/// Throws InvalidInput naming the field that is missing or malformed.
Message decode(std::string_view bytes);

/// What a Login signature covers.
Bytes login_message(const std::string& account, std::int64_t timestamp_ms);

}  // namespace sessionsim::central
