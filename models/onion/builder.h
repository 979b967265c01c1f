// Client side: wrap a request in one layer per hop (libsession Builder::build).
//   destination layer:  Enc(dest, [len payload][payload]{"headers":""})      (snode)
//                       Enc(server, payload)                                 (server)
//   each path hop, last first: Enc(hop, [len inner][inner]{routing to the next})
//   entry body:         [len][guard ciphertext]{"enc_type", "ephemeral_key"}
// Every layer gets a fresh ephemeral X25519 key and nonce, drawn from the caller's RandomSource
// in a fixed order (per layer, innermost first: 32-byte secret, then nonce).
#pragma once

#include <span>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/bytes.h"
#include "models/crypto/random.h"
#include "models/onion/layer_key.h"
#include "models/onion/routing.h"

namespace sessionsim::onion {

/// A service node as an onion hop: X25519 to encrypt to, Ed25519 to name it in routing.
struct NodeKeys {
    crypto::X25519PublicKey x25519{};
    crypto::Ed25519PublicKey ed25519{};
};

/// An external server reached through the last path hop (file server, SOGS, push server).
struct ServerKeys {
    std::string host;
    std::string target = "/oxen/v4/lsrpc";
    std::uint16_t port = 443;
    std::string protocol = "https";
    std::string method = "POST";
    crypto::X25519PublicKey x25519{};
};

using Destination = std::variant<NodeKeys, ServerKeys>;

/// One layer as built, for tests and for the teaching view of what each hop sees.
struct LayerTrace {
    std::size_t recipient = 0;  ///< 0 = first path hop (guard) ... path.size() = destination
    crypto::X25519PublicKey ephemeral_public{};
    Bytes plaintext;         ///< what the recipient recovers
    Bytes ciphertext;        ///< what the recipient receives
    nlohmann::json routing;  ///< the routing JSON inside plaintext (null for the destination)
};

struct BuiltOnion {
    Bytes entry_body;                ///< POST body for the guard's /onion_req/v2
    LayerKey reply_key;              ///< opens the destination's reply
    std::vector<LayerTrace> layers;  ///< guard first, destination last (empty unless traced)
};

/// Builds an onion over `path` (at least one hop) to `destination`. Throws InvalidInput on an
/// empty path. Set `trace` to keep every layer's plaintext and ciphertext.
BuiltOnion build_onion(std::span<const NodeKeys> path, const Destination& destination,
                       ByteView payload, EncType enc_type, crypto::RandomSource& random,
                       bool trace = false);

}  // namespace sessionsim::onion
