// Onion request properties over generated paths, payloads and keys: built for any path length
// the nodes accept (1..kMaxOnionHops hops) and any payload (0 to 64 KiB), every hop peels
// exactly the routing to the next hop and the destination gets exactly the payload, in both
// enc types and both crypto modes; a layer peeled with any other key is refused with the node's
// "Invalid ciphertext" reply. Seeds and case counts: tests/support/properties.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/crypto/aead.h"
#include "models/crypto/mode.h"
#include "models/onion/builder.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/onion/routing.h"
#include "tests/support/properties.h"
#include "tests/support/skips.h"

namespace sessionsim::onion {
namespace {

using test::check_property;

constexpr std::size_t kMaxPayload = 64 * 1024;

/// A network's worth of nodes for one case: path hops, then the destination (a node or a
/// server, by its X25519 key alone), then one outsider whose key is never on the path.
struct Nodes {
    std::vector<crypto::X25519KeyPair> x25519;
    std::vector<NodeKeys> keys;
    Nodes(std::size_t count, std::uint64_t seed) {
        crypto::SeededRandom random(seed, "onion property nodes");
        for (std::size_t i = 0; i < count; ++i) {
            crypto::X25519SecretKey secret;
            random.fill(secret.mutable_view());
            x25519.push_back(crypto::x25519_from_secret(secret));
            keys.push_back({x25519.back().public_key, random.bytes<32>()});
        }
    }
};

/// Payload sizes across the range, with the small and boundary sizes drawn often.
rc::Gen<std::size_t> payload_size() {
    return rc::gen::weightedOneOf<std::size_t>({
        {3, rc::gen::inRange<std::size_t>(0, kMaxPayload + 1)},
        {2, rc::gen::inRange<std::size_t>(0, 64)},
        {1, rc::gen::elementOf(std::vector<std::size_t>{0, 1, 255, 256, 65535, kMaxPayload})},
    });
}

Bytes payload_of(std::size_t size, std::uint64_t seed) {
    Bytes payload(size);
    crypto::SeededRandom(seed, "onion property payload").fill(payload);
    return payload;
}

/// Builds an onion over generated hops to a node or a server, delivers it hop by hop (through the
/// same bencoded node-to-node form the nodes use) and checks what every hop recovers. Also peels
/// one generated hop's layer with the outsider's key, and with the right key after one flipped
/// ciphertext byte: both must be refused.
void round_trip_property(EncType enc_type) {
    const auto mode = *rc::gen::element(crypto::CryptoMode::real, crypto::CryptoMode::modelled);
    const crypto::CryptoModeScope scope(mode);
    const auto hops = *rc::gen::inRange<std::size_t>(1, kMaxOnionHops + 1);
    const bool to_server = *rc::gen::arbitrary<bool>();
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    const Bytes payload = payload_of(*payload_size(), seed);
    const Nodes nodes(hops + 2, seed);
    const std::vector<NodeKeys> path(nodes.keys.begin(), nodes.keys.begin() + hops);
    const NodeKeys& destination_node = nodes.keys[hops];
    const crypto::X25519KeyPair& outsider = nodes.x25519[hops + 1];
    Destination destination = destination_node;
    if (to_server)
        destination = ServerKeys{.host = "file.example", .x25519 = destination_node.x25519};

    crypto::SeededRandom random(seed, "onion property build");
    const BuiltOnion built = build_onion(path, destination, payload, enc_type, random);

    const auto entry = parse_entry_request(built.entry_body);
    RC_ASSERT(std::holds_alternative<LayerEnvelope>(entry));
    LayerEnvelope layer = std::get<LayerEnvelope>(entry);
    RC_ASSERT(layer.enc_type == enc_type);
    // Positions drawn at full size: inRange otherwise scales with the case number.
    const auto tampered_hop = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(0, hops));

    for (std::size_t i = 0; i < hops; ++i) {
        if (i == tampered_hop) {
            const HopAction wrong_key = peel_layer(layer, outsider, random);
            RC_ASSERT(std::holds_alternative<OnionReply>(wrong_key));
            RC_ASSERT(std::get<OnionReply>(wrong_key).status == 400);
            RC_ASSERT(std::get<OnionReply>(wrong_key).body == "Invalid ciphertext");
            LayerEnvelope flipped = layer;
            const auto at =
                *rc::gen::resize(100, rc::gen::inRange<std::size_t>(0, flipped.ciphertext.size()));
            flipped.ciphertext[at] ^= *rc::gen::inRange<std::uint8_t>(1, 255);
            const HopAction corrupt = peel_layer(flipped, nodes.x25519[i], random);
            RC_ASSERT(std::holds_alternative<OnionReply>(corrupt));
            RC_ASSERT(std::get<OnionReply>(corrupt).body == "Invalid ciphertext");
        }
        const HopAction action = peel_layer(layer, nodes.x25519[i], random);
        if (i + 1 == hops && to_server) {
            // The last hop posts its whole layer to the server, which opens it with its own key.
            const auto* post = std::get_if<ForwardToServer>(&action);
            RC_ASSERT(post != nullptr);
            RC_ASSERT(post->server.host == "file.example");
            const auto combined = unpack_combined(post->payload);
            const auto routing = std::get<ToServer>(parse_routing(combined.routing));
            RC_ASSERT(routing.enc_type == enc_type);
            const auto key = LayerKey::for_hop(enc_type, nodes.x25519[hops], routing.ephemeral_key);
            const auto opened = key.decrypt(combined.inner);
            RC_ASSERT(opened.has_value());
            RC_ASSERT(*opened == payload);
            return;
        }
        const auto* forward = std::get_if<ForwardToNode>(&action);
        RC_ASSERT(forward != nullptr);
        const auto& expected_next = i + 1 < hops ? path[i + 1] : destination_node;
        RC_ASSERT(forward->next == expected_next.ed25519);
        RC_ASSERT(forward->layer.enc_type == enc_type);
        RC_ASSERT(forward->layer.hop_no == static_cast<int>(i) + 1);
        const auto relayed = decode_forwarded(as_bytes(encode_forwarded(forward->layer)));
        RC_ASSERT(std::holds_alternative<LayerEnvelope>(relayed));
        layer = std::get<LayerEnvelope>(relayed);
    }

    const HopAction last = peel_layer(layer, nodes.x25519[hops], random);
    const auto* execute = std::get_if<ExecuteRequest>(&last);
    RC_ASSERT(execute != nullptr);
    RC_ASSERT(execute->body == payload);
    // The destination's key for the reply is the client's.
    const Bytes pong{'p', 'o', 'n', 'g'};
    const Bytes reply = execute->reply_key.encrypt(pong, random);
    const auto opened = built.reply_key.decrypt(reply);
    RC_ASSERT(opened.has_value());
    RC_ASSERT(*opened == pong);
}

// 300 cases: about 0.8 s (path lengths and payload sizes grow with the case number up to
// 15 hops and 64 KiB).
TEST(OnionProperties, XChaCha20OnionsOfAnyLengthAndPayloadPeelExactly) {
    check_property(300, [] { round_trip_property(EncType::xchacha20); });
}

// 300 cases: about 0.8 s. Needs AES-NI, as libsodium's AES-256-GCM does (as onion_vectors_test).
TEST(OnionProperties, AesGcmOnionsOfAnyLengthAndPayloadPeelExactly) {
    if (!crypto::aes256gcm_available())
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "libsodium's AES-256-GCM needs it");
    check_property(300, [] { round_trip_property(EncType::aes_gcm); });
}

// 300 cases: about 0.1 s. The entry parser, the bencoded relay form and peeling must refuse
// arbitrary bytes with an error reply, never an exception or a crash.
TEST(OnionProperties, ArbitraryBytesAreRefusedWithAReply) {
    check_property(300, [] {
        const auto bytes = *rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>());
        const auto enc_type = *rc::gen::element(EncType::xchacha20, EncType::aes_gcm);
        if (enc_type == EncType::aes_gcm && !crypto::aes256gcm_available())
            RC_DISCARD("no AES-NI");
        const Nodes nodes(1, bytes.size());
        crypto::SeededRandom random(1, "onion property garbage");
        (void)parse_entry_request(bytes);
        (void)decode_forwarded(bytes);
        const LayerEnvelope layer{bytes, nodes.keys[0].x25519, enc_type, 1};
        const HopAction action = peel_layer(layer, nodes.x25519[0], random);
        RC_ASSERT(std::holds_alternative<OnionReply>(action));
        RC_ASSERT(std::get<OnionReply>(action).status == 400);
    });
}

}  // namespace
}  // namespace sessionsim::onion
