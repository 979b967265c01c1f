// The far end of an onion request to an external server (file server, push server, community
// server), sans-I/O. The exit node POSTs the whole decrypted layer, [N][ct]{"ephemeral_key",
// "enc_type", ...}; the server opens it with its own X25519 key, runs the v4 request inside and
// seals the v4 reply with the same layer key (oxen-pyonionreq, session-file-server).
#pragma once

#include <cstdint>

#include "models/crypto/random.h"
#include "models/crypto/x25519.h"
#include "models/node/actions.h"
#include "models/onion/response.h"

namespace sessionsim::server {

/// A server that answers v4 requests: what runs behind /oxen/v4/lsrpc.
class V4Server {
public:
    virtual ~V4Server() = default;
    virtual onion::V4Response handle(const onion::V4Request& request, std::int64_t now_ms) = 0;
};

/// Opens `body` with `keys`, lets `server` answer, and seals the answer. A layer that cannot be
/// opened gets the plain-text 400 a real server sends ("Invalid ciphertext", or the parse error).
node::WireReply serve_onion(V4Server& server, ByteView body, const crypto::X25519KeyPair& keys,
                            std::int64_t now_ms, crypto::RandomSource& random);

/// A JSON reply with the given code.
onion::V4Response json_response(int code, const nlohmann::json& body);

}  // namespace sessionsim::server
