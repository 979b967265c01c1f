// Client side: opening the destination's reply (libsession response_parser.cpp), and the v4
// request/response framing that servers (file server, SOGS, push server) speak.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/common/bytes.h"
#include "models/crypto/random.h"
#include "models/onion/layer_key.h"

namespace sessionsim::onion {

/// A storage node's v3 reply after decryption: {"status", "body"}.
struct V3Response {
    int status = 0;
    std::string body;
};

/// base64-decodes, decrypts with the final layer's key and parses the JSON. Throws InvalidInput
/// with libsession's wording ("Invalid base64 encoded IV and ciphertext.", "Decryption failed",
/// "Invalid JSON response, missing required status_code field.").
V3Response open_v3_reply(const LayerKey& key, std::string_view reply_body);

/// v4 request plaintext: l<len>:<{"method","endpoint","headers"}><len>:<body>e (body optional).
Bytes build_v4_request(const std::string& method, const std::string& endpoint,
                       const nlohmann::json& headers, const std::optional<std::string>& body);

struct V4Request {
    std::string method;
    std::string endpoint;
    nlohmann::json headers = nlohmann::json::object();
    std::optional<std::string> body;
};
/// Throws InvalidInput with the file server's wording on malformed requests.
V4Request parse_v4_request(ByteView plaintext);

struct V4Response {
    int code = 0;
    nlohmann::json headers = nlohmann::json::object();
    std::string body;
};
/// l<meta {"code","headers"}><body>e, encrypted with the layer key, no base64.
Bytes seal_v4_response(const V4Response& response, const LayerKey& key,
                       crypto::RandomSource& random);
/// Decrypts and parses a v4 reply. Throws InvalidInput ("Invalid bencoded response", "Invalid
/// JSON response, missing required code field.").
V4Response open_v4_response(const LayerKey& key, ByteView reply);

}  // namespace sessionsim::onion
