// Account identifiers: a one-byte network/type prefix followed by 32 key bytes (66 hex chars).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/common/bytes.h"

namespace sessionsim::identity {

/// Known prefixes (libsession SessionIDPrefix; storage server pubkey.h).
enum class AccountPrefix : std::uint8_t {
    testnet = 0x00,
    group = 0x03,     ///< groups v2: the 32 bytes are the group's Ed25519 key
    standard = 0x05,  ///< a user: the 32 bytes are an X25519 key
    community_blinded = 0x15,
    version_blinded = 0x25,
};

/// Human-readable name of a prefix byte ("standard", "group", ... or "unknown").
std::string_view prefix_name(std::uint8_t prefix);

/// An account as the storage server reads it: the prefix byte and the 32 raw bytes, kept apart
/// because swarm mapping uses only the raw bytes.
struct AccountId {
    std::uint8_t prefix = static_cast<std::uint8_t>(AccountPrefix::standard);
    FixedBytes<32> key{};

    /// 66 lower-case hex characters: prefix then key.
    std::string to_hex() const;

    /// Parses 66 hex characters (any prefix byte). Throws InvalidInput with the reason.
    static AccountId parse(std::string_view hex);

    /// Parses 66 hex characters, or 64 (raw key, no prefix: the prefix is reported as nullopt).
    /// Throws InvalidInput with the reason.
    static std::pair<std::optional<std::uint8_t>, FixedBytes<32>> parse_with_optional_prefix(
        std::string_view hex);

    friend auto operator<=>(const AccountId&, const AccountId&) = default;
};

}  // namespace sessionsim::identity
