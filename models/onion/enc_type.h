// Per-hop encryption types of onion requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sessionsim::onion {

/// aes-gcm is what a layer means when it names no enc_type (desktop never sends one);
/// xchacha20 is libsession's default.
enum class EncType { aes_gcm, xchacha20 };

/// Canonical wire name: "aes-gcm" or "xchacha20".
std::string_view to_string(EncType type);

/// Parses the names the storage server accepts (with aliases); nullopt if unknown.
std::optional<EncType> parse_enc_type(std::string_view name);

/// Nonce length on the wire: 12 (aes-gcm) or 24 (xchacha20).
std::size_t nonce_size(EncType type);

}  // namespace sessionsim::onion
