#include "models/onion/routing.h"

#include "models/common/errors.h"

namespace sessionsim::onion {
namespace {

using nlohmann::json;

const json& field(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end())
        throw InvalidInput(std::string("onion layer JSON lacks \"") + key + "\"");
    return *it;
}

std::string string_field(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_string())
        throw InvalidInput(std::string("onion layer \"") + key + "\" is not a string");
    return v.get<std::string>();
}

EncType enc_type_field(const json& j) {
    const auto it = j.find("enc_type");
    if (it == j.end())
        return EncType::aes_gcm;
    if (!it->is_string())
        throw InvalidInput("onion layer \"enc_type\" is not a string");
    const auto type = parse_enc_type(it->get<std::string>());
    if (!type)
        throw InvalidInput("unknown enc_type \"" + it->get<std::string>() + "\"");
    return *type;
}

bool bool_field(const json& j, const char* key, bool fallback) {
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (!it->is_boolean())
        throw InvalidInput(std::string("onion layer \"") + key + "\" is not a boolean");
    return it->get<bool>();
}

}  // namespace

json routing_json(const Routing& routing) {
    return std::visit(
        [](const auto& r) -> json {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, ToNode>) {
                return {{"destination", to_hex(r.next)},
                        {"ephemeral_key", to_hex(r.ephemeral_key)},
                        {"enc_type", to_string(r.enc_type)}};
            } else if constexpr (std::is_same_v<T, ToDestination>) {
                json j{{"headers", ""}};
                if (r.json)
                    j["json"] = true;
                if (!r.base64)
                    j["base64"] = false;
                return j;
            } else {
                return {{"host", r.host},
                        {"target", r.target},
                        {"port", r.port},
                        {"protocol", r.protocol},
                        {"method", r.method},
                        {"ephemeral_key", to_hex(r.ephemeral_key)},
                        {"enc_type", to_string(r.enc_type)}};
            }
        },
        routing);
}

Routing parse_routing(const json& j) {
    if (j.contains("headers")) {
        return ToDestination{.json = bool_field(j, "json", false),
                             .base64 = bool_field(j, "base64", true)};
    }
    if (j.contains("host")) {
        ToServer s;
        s.host = string_field(j, "host");
        s.target = string_field(j, "target");
        if (const auto it = j.find("port"); it != j.end()) {
            if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 65535) {
                throw InvalidInput("onion layer \"port\" is not a port number");
            }
            s.port = it->get<std::uint16_t>();
        }
        if (j.contains("protocol"))
            s.protocol = string_field(j, "protocol");
        if (j.contains("method"))
            s.method = string_field(j, "method");
        if (j.contains("ephemeral_key")) {
            s.ephemeral_key = fixed_from_hex<32>(string_field(j, "ephemeral_key"), "ephemeral_key");
        }
        s.enc_type = enc_type_field(j);
        return s;
    }
    return ToNode{
        .next = fixed_from_hex<32>(string_field(j, "destination"), "destination"),
        .ephemeral_key = fixed_from_hex<32>(string_field(j, "ephemeral_key"), "ephemeral_key"),
        .enc_type = enc_type_field(j)};
}

bool is_allowed_server_target(std::string_view target) {
    return (target.starts_with("/oxen/") || target.starts_with("/loki/")) &&
           target.ends_with("/lsrpc") && target.find('?') == std::string_view::npos;
}

}  // namespace sessionsim::onion
