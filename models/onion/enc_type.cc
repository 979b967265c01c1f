#include "models/onion/enc_type.h"

namespace sessionsim::onion {

std::string_view to_string(EncType type) {
    return type == EncType::aes_gcm ? "aes-gcm" : "xchacha20";
}

std::optional<EncType> parse_enc_type(std::string_view name) {
    if (name == "aes-gcm" || name == "gcm")
        return EncType::aes_gcm;
    if (name == "xchacha20" || name == "xchacha20-poly1305")
        return EncType::xchacha20;
    return std::nullopt;
}

std::size_t nonce_size(EncType type) {
    return type == EncType::aes_gcm ? 12 : 24;
}

}  // namespace sessionsim::onion
