#include "models/onion/response.h"

#include "models/common/base64.h"
#include "models/common/bencode.h"
#include "models/common/errors.h"

namespace sessionsim::onion {
namespace {

nlohmann::json parse_object(std::string_view text, const char* what) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw InvalidInput(std::string(what));
    return j;
}

std::string_view as_text(ByteView b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace

V3Response open_v3_reply(const LayerKey& key, std::string_view reply_body) {
    if (!is_base64(reply_body))
        throw InvalidInput("Invalid base64 encoded IV and ciphertext.");
    const auto plain = key.decrypt(from_base64(reply_body));
    if (!plain)
        throw InvalidInput("Decryption failed");
    const auto j = parse_object(as_text(*plain), "Invalid JSON response");
    V3Response out;
    const auto status = j.contains("status_code") ? j.find("status_code") : j.find("status");
    if (status == j.end() || !status->is_number_integer()) {
        throw InvalidInput("Invalid JSON response, missing required status_code field.");
    }
    out.status = status->get<int>();
    const auto body = j.find("body");
    out.body = body != j.end() && body->is_string() ? body->get<std::string>() : j.dump();
    return out;
}

Bytes build_v4_request(const std::string& method, const std::string& endpoint,
                       const nlohmann::json& headers, const std::optional<std::string>& body) {
    bencode::List parts{
        nlohmann::json{{"method", method},
                       {"endpoint", endpoint},
                       {"headers", headers.is_null() ? nlohmann::json::object() : headers}}
            .dump()};
    if (body)
        parts.emplace_back(*body);
    const std::string encoded = bencode::encode(parts);
    return Bytes(encoded.begin(), encoded.end());
}

V4Request parse_v4_request(ByteView plaintext) {
    bencode::Value value;
    try {
        value = bencode::decode(as_text(plaintext));
    } catch (const InvalidInput&) {
        throw InvalidInput("Invalid onion request body: expected bencoded list");
    }
    if (!value.is_list())
        throw InvalidInput("Invalid onion request body: expected bencoded list");
    const auto& parts = value.as_list();
    if (parts.empty() || parts.size() > 2) {
        throw InvalidInput("Invalid v4 onion request: found more than 2 parts");
    }
    const auto meta = parse_object(parts[0].as_string(), "Invalid v4 onion request: bad metadata");
    // Metadata is the sender's JSON: a field of the wrong type is a bad request, not a crash
    // (found by fuzz/bencode_v4_fuzz: an "endpoint" that was an object).
    const auto text_field = [&](const char* key) -> std::string {
        if (!meta.contains(key))
            return "";
        if (!meta.at(key).is_string())
            throw InvalidInput(std::string("Invalid v4 onion request: \"") + key +
                               "\" must be a string");
        return meta.at(key).get<std::string>();
    };
    V4Request out;
    out.method = text_field("method");
    out.endpoint = text_field("endpoint");
    if (out.endpoint.empty() || out.endpoint[0] != '/') {
        throw InvalidInput("Invalid v4 onion request: endpoint must start with /");
    }
    if (meta.contains("headers")) {
        if (!meta.at("headers").is_object())
            throw InvalidInput("Invalid v4 onion request: \"headers\" must be an object");
        out.headers = meta.at("headers");
    }
    if (parts.size() == 2)
        out.body = parts[1].as_string();
    return out;
}

Bytes seal_v4_response(const V4Response& response, const LayerKey& key,
                       crypto::RandomSource& random) {
    const std::string encoded = bencode::encode(
        bencode::List{nlohmann::json{{"code", response.code}, {"headers", response.headers}}.dump(),
                      response.body});
    return key.encrypt(as_bytes(encoded), random);
}

V4Response open_v4_response(const LayerKey& key, ByteView reply) {
    const auto plain = key.decrypt(reply);
    if (!plain)
        throw InvalidInput("Decryption failed");
    bencode::Value value;
    try {
        value = bencode::decode(as_text(*plain));
    } catch (const InvalidInput&) {
        throw InvalidInput("Invalid bencoded response");
    }
    if (!value.is_list() || value.as_list().empty() || !value.as_list()[0].is_string()) {
        throw InvalidInput("Invalid bencoded response");
    }
    const auto& parts = value.as_list();
    const auto meta = parse_object(parts[0].as_string(), "Invalid bencoded response");
    const auto code = meta.find("code");
    if (code == meta.end() || !code->is_number_integer()) {
        throw InvalidInput("Invalid JSON response, missing required code field.");
    }
    V4Response out;
    out.code = code->get<int>();
    if (meta.contains("headers"))
        out.headers = meta.at("headers");
    if (parts.size() > 1 && parts[1].is_string())
        out.body = parts[1].as_string();
    return out;
}

}  // namespace sessionsim::onion
