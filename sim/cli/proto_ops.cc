#include "sim/cli/proto_ops.h"

#include <algorithm>

#include "models/common/base64.h"
#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/identity/account_id.h"
#include "models/identity/mnemonic.h"
#include "models/message/session_encrypt.h"
#include "models/onion/builder.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/storage/message_hash.h"
#include "models/swarm/new_swarm_id.h"
#include "models/swarm/swarm_selection.h"
#include "models/swarm/swarm_space.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli::ops {
namespace {

namespace mnemonic = identity::mnemonic;

/// The phrase the app shows: 13 words for a padded 16-byte seed, else 25 words for all 32.
std::string recovery_phrase(const identity::Identity& id) {
    const auto seed = id.ed25519_seed().view();
    return mnemonic::encode_phrase(id.has_short_seed() ? seed.first(16) : ByteView(seed));
}

/// The raw 32 key bytes of a 64- or 66-hex-character pubkey.
FixedBytes<32> raw_pubkey(const std::string& hex) {
    return identity::AccountId::parse_with_optional_prefix(hex).second;
}

/// Sorted ids, with the reserved id and duplicates refused.
std::vector<swarm::SwarmId> checked_swarm_ids(std::vector<std::uint64_t> ids,
                                              const std::string& what) {
    for (const auto id : ids) {
        if (id == swarm::kUnassignedSwarmId) {
            throw InvalidInput(what + " " + std::to_string(id) +
                               " is the reserved 'unassigned' id (2^64-1), never a real swarm");
        }
    }
    std::sort(ids.begin(), ids.end());
    if (const auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end())
        throw InvalidInput(what + " " + std::to_string(*dup) + " is listed twice");
    return ids;
}

const char* role_of(std::size_t index, std::size_t path_size) {
    if (index == path_size)
        return "destination";
    if (index == 0)
        return "guard";
    return index + 1 == path_size ? "exit" : "middle";
}

Json layers_json(const onion::BuiltOnion& built, const std::vector<onion::NodeKeys>& path,
                 const onion::NodeKeys& destination) {
    Json layers = Json::array();
    for (const auto& layer : built.layers) {
        const std::size_t i = layer.recipient;
        const auto& node = i < path.size() ? path[i] : destination;
        Json sees{{"from", i == 0 ? std::string("the client's IP address")
                                  : "node " + to_hex(path[i - 1].ed25519)},
                  {"ciphertext_bytes", layer.ciphertext.size()},
                  {"ephemeral_key", to_hex(layer.ephemeral_public)}};
        if (i < path.size()) {
            sees["next"] = layer.routing.at("destination");
            sees["learns"] = "only the previous and the next hop";
        } else {
            sees["request_b64"] = to_base64(onion::unpack_combined(layer.plaintext).inner);
            sees["learns"] = "the request (method, account, namespace), not who sent it";
        }
        layers.push_back({{"hop", i + 1},
                          {"role", role_of(i, path.size())},
                          {"node_ed25519", to_hex(node.ed25519)},
                          {"sees", sees}});
    }
    return layers;
}

Json peel(const onion::LayerEnvelope& layer, const Bytes& x25519_secret) {
    const auto node = crypto::x25519_from_secret(crypto::X25519SecretKey::from(x25519_secret));
    crypto::SystemRandom random;
    const auto action = onion::peel_layer(layer, node, random);
    if (const auto* reply = std::get_if<onion::OnionReply>(&action)) {
        throw InvalidInput(reply->encrypted_error.empty()
                               ? std::to_string(reply->status) + " " + reply->body
                               : reply->encrypted_error + " (sent encrypted to the client)");
    }
    if (const auto* fwd = std::get_if<onion::ForwardToNode>(&action)) {
        return Json{{"kind", "relay"},
                    {"destination", to_hex(fwd->next)},
                    {"ephemeral_key", to_hex(fwd->layer.ephemeral_key)},
                    {"enc_type", onion::to_string(fwd->layer.enc_type)},
                    {"ciphertext_b64", to_base64(fwd->layer.ciphertext)}};
    }
    if (const auto* exec = std::get_if<onion::ExecuteRequest>(&action)) {
        return Json{{"kind", "final"},
                    {"payload_b64", to_base64(exec->body)},
                    {"json", Json::parse(onion::routing_json(exec->options).dump())}};
    }
    const auto& server = std::get<onion::ForwardToServer>(action);
    return Json{{"kind", "server"},
                {"host", server.server.host},
                {"target", server.server.target},
                {"port", server.server.port},
                {"protocol", server.server.protocol},
                {"url", server.url},
                {"payload_b64", to_base64(server.payload)}};
}

void require_secret_key(const Bytes& x25519_secret) {
    if (x25519_secret.size() != 32) {
        throw InvalidInput("an X25519 secret key is 32 bytes, got " +
                           std::to_string(x25519_secret.size()));
    }
}

}  // namespace

Json identity(const Bytes& seed) {
    const auto id = identity_from_seed_bytes(seed);
    return Json{{"seed", to_hex(seed)},
                {"ed25519_pk", to_hex(id.ed25519().public_key)},
                {"x25519_pk", to_hex(id.x25519().public_key)},
                {"session_id", id.session_id().to_hex()},
                {"phrase", recovery_phrase(id)},
                {"swarm_space", std::to_string(swarm::swarm_space(id.x25519().public_key))}};
}

Json identity_from_phrase(const std::string& phrase) {
    return identity(mnemonic::decode_phrase(phrase).bytes);
}

Json mnemonic_encode(const Bytes& bytes, bool checksum) {
    return Json{{"phrase", mnemonic::encode_phrase(bytes, checksum)}};
}

Json mnemonic_decode(const std::string& phrase) {
    const auto decoded = mnemonic::decode_phrase(phrase);
    return Json{{"seed", to_hex(decoded.bytes)}, {"checksum", decoded.had_checksum}};
}

Json swarm_space(const std::string& pubkey_hex) {
    return Json{{"swarm_space", std::to_string(swarm::swarm_space(raw_pubkey(pubkey_hex)))}};
}

Json swarm_pick(const std::string& pubkey_hex, std::vector<std::uint64_t> swarm_ids,
                const std::string& what) {
    const auto key = raw_pubkey(pubkey_hex);
    const auto ids = checked_swarm_ids(std::move(swarm_ids), what);
    if (ids.empty())
        throw InvalidInput("no swarm ids given to pick from");
    return Json{{"swarm_id", std::to_string(swarm::closest_swarm(ids, swarm::swarm_space(key)))}};
}

Json new_swarm_id(std::vector<std::uint64_t> existing, const std::string& what) {
    const auto ids = checked_swarm_ids(std::move(existing), what);
    return Json{{"swarm_id", std::to_string(swarm::new_swarm_id(ids))}};
}

onion::EncType enc_type(const std::string& name) {
    const auto type = onion::parse_enc_type(name);
    if (!type)
        throw InvalidInput("enc_type must be aes-gcm or xchacha20, not '" + name + "'");
    return *type;
}

Json onion_build(const std::vector<onion::NodeKeys>& hops, const onion::NodeKeys& dest,
                 const Bytes& payload, const std::string& enc_type_name,
                 std::optional<std::uint64_t> seed) {
    if (hops.empty())
        throw InvalidInput("an onion path needs at least one hop");
    const auto type = enc_type(enc_type_name);
    crypto::SeededRandom seeded(seed.value_or(0), "proto onion build");
    crypto::SystemRandom system;
    crypto::RandomSource& random = seed ? static_cast<crypto::RandomSource&>(seeded)
                                        : static_cast<crypto::RandomSource&>(system);
    const auto built = onion::build_onion(hops, dest, payload, type, random, true);
    return Json{{"blob_b64", to_base64(built.entry_body)},
                {"enc_type", onion::to_string(type)},
                {"layers", layers_json(built, hops, dest)}};
}

Json onion_peel_entry(const Bytes& x25519_secret, const Bytes& blob) {
    require_secret_key(x25519_secret);
    auto parsed = onion::parse_entry_request(blob);
    if (auto* err = std::get_if<onion::OnionReply>(&parsed))
        throw InvalidInput(std::to_string(err->status) + " " + err->body);
    return peel(std::get<onion::LayerEnvelope>(parsed), x25519_secret);
}

Json onion_peel_layer(const Bytes& x25519_secret, const Bytes& ciphertext,
                      const FixedBytes<32>& ephemeral_key, const std::string& enc_type_name) {
    require_secret_key(x25519_secret);
    onion::LayerEnvelope layer;
    layer.ciphertext = ciphertext;
    layer.ephemeral_key = ephemeral_key;
    layer.enc_type = enc_type(enc_type_name);
    return peel(layer, x25519_secret);
}

Json message_hash(const std::string& pubkey_hex, int ns, const Bytes& data) {
    if (ns < -32768 || ns > 32767)
        throw InvalidInput("namespace " + std::to_string(ns) + " is outside int16");
    const auto owner = identity::AccountId::parse(pubkey_hex);
    return Json{{"hash", storage::message_hash(owner, static_cast<storage::Namespace>(ns), data)}};
}

Json encrypt(const Bytes& sender_seed, const std::string& recipient_session_id,
             const Bytes& plaintext, bool deterministic) {
    const auto sender = identity_from_seed_bytes(sender_seed);
    const auto recipient = identity::AccountId::parse(recipient_session_id);
    if (recipient.prefix != static_cast<std::uint8_t>(identity::AccountPrefix::standard))
        throw InvalidInput("the recipient must be a 05-prefixed Session ID");
    crypto::SystemRandom random;
    const Bytes ct =
        deterministic
            ? message::encrypt_for_recipient_deterministic(sender, recipient.key, plaintext)
            : message::encrypt_for_recipient(sender, recipient.key, plaintext, random);
    return Json{{"ciphertext_b64", to_base64(ct)}};
}

Json decrypt(const Bytes& recipient_seed, const Bytes& ciphertext) {
    const auto recipient = identity_from_seed_bytes(recipient_seed);
    const auto out = message::decrypt_incoming(recipient, ciphertext);
    return Json{{"plaintext_b64", to_base64(out.message)},
                {"sender_session_id", out.sender_session_id.to_hex()},
                {"sender_ed25519", to_hex(out.sender_ed25519)}};
}

}  // namespace sessionsim::cli::ops
