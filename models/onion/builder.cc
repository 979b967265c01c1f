#include "models/onion/builder.h"

#include <algorithm>
#include <optional>

#include "models/common/errors.h"
#include "models/onion/combined_payload.h"

namespace sessionsim::onion {
namespace {

struct SealedLayer {
    crypto::X25519PublicKey ephemeral_public;
    LayerKey key;
    Bytes ciphertext;
};

SealedLayer seal(ByteView plaintext, const crypto::X25519PublicKey& recipient, EncType enc_type,
                 crypto::RandomSource& random) {
    crypto::X25519SecretKey secret;
    random.fill(secret.mutable_view());
    const auto ephemeral = crypto::x25519_ephemeral(secret);
    const auto key = LayerKey::for_client(enc_type, ephemeral, recipient);
    return {ephemeral.public_key, key, key.encrypt(plaintext, random)};
}

}  // namespace

BuiltOnion build_onion(std::span<const NodeKeys> path, const Destination& destination,
                       ByteView payload, EncType enc_type, crypto::RandomSource& random,
                       bool trace) {
    if (path.empty())
        throw InvalidInput("an onion path needs at least one hop");

    std::vector<LayerTrace> traces;
    const auto record = [&](std::size_t recipient, const SealedLayer& layer, Bytes plaintext,
                            nlohmann::json routing) {
        if (!trace)
            return;
        traces.push_back({recipient, layer.ephemeral_public, std::move(plaintext), layer.ciphertext,
                          std::move(routing)});
    };

    // The destination's layer, and the routing the last path hop needs to reach it.
    Bytes plaintext;
    const crypto::X25519PublicKey* dest_key = nullptr;
    if (const auto* node = std::get_if<NodeKeys>(&destination)) {
        plaintext = pack_combined(payload, routing_json(ToDestination{}));
        dest_key = &node->x25519;
    } else {
        plaintext.assign(payload.begin(), payload.end());
        dest_key = &std::get<ServerKeys>(destination).x25519;
    }
    SealedLayer inner = seal(plaintext, *dest_key, enc_type, random);
    const LayerKey reply_key = inner.key;
    record(path.size(), inner, std::move(plaintext), nullptr);

    for (std::size_t i = path.size(); i-- > 0;) {
        Routing next;
        if (i + 1 < path.size()) {
            next = ToNode{path[i + 1].ed25519, inner.ephemeral_public, enc_type};
        } else if (const auto* node = std::get_if<NodeKeys>(&destination)) {
            next = ToNode{node->ed25519, inner.ephemeral_public, enc_type};
        } else {
            const auto& server = std::get<ServerKeys>(destination);
            next = ToServer{server.host,   server.target,          server.port, server.protocol,
                            server.method, inner.ephemeral_public, enc_type};
        }
        const nlohmann::json routing = routing_json(next);
        Bytes layer_plain = pack_combined(inner.ciphertext, routing);
        SealedLayer outer = seal(layer_plain, path[i].x25519, enc_type, random);
        record(i, outer, std::move(layer_plain), routing);
        inner = std::move(outer);
    }

    BuiltOnion built{.entry_body = pack_combined(inner.ciphertext,
                                                 {{"ephemeral_key", to_hex(inner.ephemeral_public)},
                                                  {"enc_type", to_string(enc_type)}}),
                     .reply_key = reply_key,
                     .layers = std::move(traces)};
    std::reverse(built.layers.begin(), built.layers.end());
    return built;
}

}  // namespace sessionsim::onion
