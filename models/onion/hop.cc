#include "models/onion/hop.h"

#include "models/common/base64.h"
#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "models/onion/combined_payload.h"

namespace sessionsim::onion {
namespace {

OnionReply encrypted_error(int status, const std::string& message, const LayerKey& key,
                           crypto::RandomSource& random) {
    OnionReply reply = wrap_reply(status, message, key, ToDestination{}, random);
    reply.encrypted_error = std::to_string(status) + " " + message;
    return reply;
}

std::string server_url(const ToServer& s) {
    const std::uint16_t default_port = s.protocol == "https" ? 443 : 80;
    std::string url = s.protocol + "://" + s.host;
    if (s.port != default_port)
        url += ":" + std::to_string(s.port);
    if (s.target.empty() || s.target[0] != '/')
        url += '/';
    return url + s.target;
}

}  // namespace

std::variant<LayerEnvelope, OnionReply> parse_entry_request(ByteView body) {
    try {
        const auto combined = unpack_combined(body);
        LayerEnvelope layer;
        layer.ciphertext = combined.inner;
        const auto& j = combined.routing;
        const auto key = j.find("ephemeral_key");
        if (key == j.end() || !key->is_string()) {
            throw InvalidInput("key 'ephemeral_key' not found");
        }
        layer.ephemeral_key = fixed_from_hex<32>(key->get<std::string>(), "ephemeral_key");
        if (const auto et = j.find("enc_type"); et != j.end()) {
            const auto type =
                et->is_string() ? parse_enc_type(et->get<std::string>()) : std::nullopt;
            if (!type)
                throw InvalidInput("Invalid encryption type " + et->dump());
            layer.enc_type = *type;
        }
        if (const auto hop = j.find("hop_no"); hop != j.end()) {
            if (!hop->is_number_integer())
                throw InvalidInput("hop_no is not an integer");
            layer.hop_no = std::max(0, hop->get<int>());
        }
        return layer;
    } catch (const std::exception& e) {
        return OnionReply{400, std::string("Error parsing onion request: ") + e.what(), {}};
    }
}

std::string encode_forwarded(const LayerEnvelope& layer) {
    return bencode::encode(bencode::Dict{
        {"data", std::string(layer.ciphertext.begin(), layer.ciphertext.end())},
        {"enc_type", std::string(to_string(layer.enc_type))},
        {"ephemeral_key", std::string(layer.ephemeral_key.begin(), layer.ephemeral_key.end())},
        {"hop_no", std::int64_t{layer.hop_no}}});
}

std::variant<LayerEnvelope, OnionReply> decode_forwarded(ByteView message) {
    LayerEnvelope layer;
    try {
        const auto value = bencode::decode(
            std::string_view(reinterpret_cast<const char*>(message.data()), message.size()));
        const auto& dict = value.as_dict();
        const auto data = dict.find("data");
        if (data == dict.end())
            throw InvalidInput("required data payload not found");
        const std::string& ct = data->second.as_string();
        layer.ciphertext.assign(ct.begin(), ct.end());
        if (const auto et = dict.find("enc_type"); et != dict.end()) {
            const auto type = parse_enc_type(et->second.as_string());
            if (!type)
                throw InvalidInput("Invalid encryption type " + et->second.as_string());
            layer.enc_type = *type;
        }
        const auto key = dict.find("ephemeral_key");
        if (key == dict.end())
            throw InvalidInput("ephemeral key not found");
        const std::string& k = key->second.as_string();
        if (k.size() != 32) {
            throw InvalidInput("Key data is invalid: expected 32 bytes, received " +
                               std::to_string(k.size()));
        }
        std::copy(k.begin(), k.end(), layer.ephemeral_key.begin());
        if (const auto hop = dict.find("hop_no"); hop != dict.end()) {
            layer.hop_no =
                static_cast<int>(std::clamp<std::int64_t>(hop->second.as_int(), -1, 1 << 20));
        }
    } catch (const std::exception& e) {
        return OnionReply{400, std::string("Invalid internal onion request: ") + e.what(), {}};
    }
    layer.hop_no = std::max(layer.hop_no, 1);
    if (layer.hop_no > kMaxOnionHops)
        return OnionReply{400, "onion request max path length exceeded", {}};
    return layer;
}

HopAction peel_layer(const LayerEnvelope& layer, const crypto::X25519KeyPair& node,
                     crypto::RandomSource& random) {
    std::optional<LayerKey> key;
    try {
        key = LayerKey::for_hop(layer.enc_type, node, layer.ephemeral_key);
    } catch (const CryptoError&) {
        return OnionReply{400, "Invalid ciphertext", {}};  // low-order ephemeral key
    }
    const auto plaintext = key->decrypt(layer.ciphertext);
    if (!plaintext)
        return OnionReply{400, "Invalid ciphertext", {}};

    CombinedPayload combined;
    Routing routing;
    try {
        combined = unpack_combined(*plaintext);
        routing = parse_routing(combined.routing);
    } catch (const std::exception&) {
        return encrypted_error(400, "Invalid json", *key, random);
    }

    if (const auto* dest = std::get_if<ToDestination>(&routing)) {
        return ExecuteRequest{std::move(combined.inner), *dest, *key};
    }
    if (const auto* server = std::get_if<ToServer>(&routing)) {
        if ((server->protocol != "http" && server->protocol != "https") ||
            !is_allowed_server_target(server->target)) {
            return encrypted_error(400, "Invalid url", *key, random);
        }
        return ForwardToServer{*plaintext, *server, server_url(*server)};
    }
    const auto& next = std::get<ToNode>(routing);
    return ForwardToNode{next.next, LayerEnvelope{std::move(combined.inner), next.ephemeral_key,
                                                  next.enc_type, layer.hop_no + 1}};
}

namespace {

OnionReply seal_reply(const nlohmann::json& reply, const LayerKey& key,
                      const ToDestination& options, crypto::RandomSource& random) {
    const std::string plain = reply.dump();
    const Bytes sealed = key.encrypt(as_bytes(plain), random);
    return OnionReply{
        200, options.base64 ? to_base64(sealed) : std::string(sealed.begin(), sealed.end()), {}};
}

}  // namespace

OnionReply wrap_reply(int status, const std::string& body, const LayerKey& key,
                      const ToDestination& options, crypto::RandomSource& random) {
    return seal_reply({{"status", status}, {"body", body}}, key, options, random);
}

OnionReply wrap_json_reply(int status, const nlohmann::json& body, const LayerKey& key,
                           const ToDestination& options, crypto::RandomSource& random) {
    return seal_reply(
        {{"status", status}, {"body", options.json ? body : nlohmann::json(body.dump())}}, key,
        options, random);
}

}  // namespace sessionsim::onion
