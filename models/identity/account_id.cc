#include "models/identity/account_id.h"

#include "models/common/errors.h"

namespace sessionsim::identity {

std::string_view prefix_name(std::uint8_t prefix) {
    switch (static_cast<AccountPrefix>(prefix)) {
        case AccountPrefix::testnet:
            return "testnet";
        case AccountPrefix::group:
            return "group";
        case AccountPrefix::standard:
            return "standard";
        case AccountPrefix::community_blinded:
            return "community_blinded";
        case AccountPrefix::version_blinded:
            return "version_blinded";
    }
    return "unknown";
}

std::string AccountId::to_hex() const {
    const FixedBytes<1> p{prefix};
    return sessionsim::to_hex(p) + sessionsim::to_hex(key);
}

AccountId AccountId::parse(std::string_view hex) {
    if (hex.size() != 66) {
        throw InvalidInput(
            "account id must be 66 hex characters (prefix byte + 32-byte key), got " +
            std::to_string(hex.size()));
    }
    const auto [prefix, key] = parse_with_optional_prefix(hex);
    return AccountId{.prefix = *prefix, .key = key};
}

std::pair<std::optional<std::uint8_t>, FixedBytes<32>> AccountId::parse_with_optional_prefix(
    std::string_view hex) {
    if (hex.size() == 64)
        return {std::nullopt, fixed_from_hex<32>(hex, "pubkey")};
    if (hex.size() == 66) {
        const Bytes prefix = from_hex(hex.substr(0, 2), "pubkey prefix");
        return {prefix[0], fixed_from_hex<32>(hex.substr(2), "pubkey")};
    }
    throw InvalidInput("pubkey must be 64 hex characters, or 66 with a prefix byte; got " +
                       std::to_string(hex.size()));
}

}  // namespace sessionsim::identity
