// What a decrypted layer tells its hop to do, parsed from the layer's JSON:
//   {"headers": …}                                    I am the final destination
//   {"host": …, "target": …, [port, protocol, method]}  POST the layer to an external server
//   {"destination": ed25519, "ephemeral_key": …, [enc_type]}  relay to the next node
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "models/crypto/ed25519.h"
#include "models/crypto/x25519.h"
#include "models/onion/enc_type.h"

namespace sessionsim::onion {

struct ToNode {
    crypto::Ed25519PublicKey next{};
    crypto::X25519PublicKey ephemeral_key{};
    EncType enc_type = EncType::aes_gcm;
};

struct ToDestination {
    bool json = false;   ///< embed a JSON reply body unescaped
    bool base64 = true;  ///< base64 the encrypted reply (the default)
};

struct ToServer {
    std::string host;
    std::string target;
    std::uint16_t port = 443;
    std::string protocol = "https";
    std::string method = "POST";
    /// The server's own layer key material, read by the server from the same JSON.
    crypto::X25519PublicKey ephemeral_key{};
    EncType enc_type = EncType::aes_gcm;
};

using Routing = std::variant<ToNode, ToDestination, ToServer>;

/// The JSON a client writes for each case (libsession's keys; `headers` is "").
nlohmann::json routing_json(const Routing& routing);

/// Parses a layer's JSON. Throws InvalidInput naming the bad or missing field.
Routing parse_routing(const nlohmann::json& json);

/// True if a server target is one the storage server will relay to: it starts with /oxen/ or
/// /loki/, ends with /lsrpc, and has no query string.
bool is_allowed_server_target(std::string_view target);

}  // namespace sessionsim::onion
