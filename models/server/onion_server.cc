#include "models/server/onion_server.h"

#include "models/onion/combined_payload.h"
#include "models/onion/layer_key.h"
#include "models/onion/routing.h"

namespace sessionsim::server {

node::WireReply serve_onion(V4Server& server, ByteView body, const crypto::X25519KeyPair& keys,
                            std::int64_t now_ms, crypto::RandomSource& random) {
    onion::CombinedPayload combined;
    onion::Routing routing;
    try {
        combined = onion::unpack_combined(body);
        routing = onion::parse_routing(combined.routing);
    } catch (const InvalidInput& e) {
        return {400, std::string("Invalid onion request: ") + e.what()};
    }
    const auto* to_server = std::get_if<onion::ToServer>(&routing);
    if (to_server == nullptr)
        return {400, "Invalid onion request: not addressed to a server"};
    const auto key = onion::LayerKey::for_hop(to_server->enc_type, keys, to_server->ephemeral_key);
    const auto plain = key.decrypt(combined.inner);
    if (!plain)
        return {400, "Invalid ciphertext"};
    onion::V4Response response;
    try {
        response = server.handle(onion::parse_v4_request(*plain), now_ms);
    } catch (const InvalidInput& e) {
        response = json_response(400, {{"error", e.what()}});
    }
    const Bytes sealed = onion::seal_v4_response(response, key, random);
    return {200, std::string(sealed.begin(), sealed.end())};
}

onion::V4Response json_response(int code, const nlohmann::json& body) {
    return {code, {{"content-type", "application/json"}}, body.dump()};
}

}  // namespace sessionsim::server
