// Storage namespaces (int16) and the rules attached to their numbers (storage server
// oxenss/common/namespace.h).
#pragma once

#include <cstdint>
#include <string>

namespace sessionsim::storage {

using Namespace = std::int16_t;

namespace ns {
inline constexpr Namespace kDefault = 0;
inline constexpr Namespace kUserProfile = 2;
inline constexpr Namespace kContacts = 3;
inline constexpr Namespace kConvoInfoVolatile = 4;
inline constexpr Namespace kUserGroups = 5;
inline constexpr Namespace kGroupMessages = 11;
inline constexpr Namespace kGroupKeys = 12;
inline constexpr Namespace kGroupInfo = 13;
inline constexpr Namespace kGroupMembers = 14;
inline constexpr Namespace kLegacyClosed = -10;
inline constexpr Namespace kRevokedRetrievable = -11;
}  // namespace ns

/// Divisible by 10: anyone may store without a signature (a recipient's inbox).
constexpr bool is_public_inbox(Namespace n) {
    return n % 10 == 0;
}
/// n < 0 and -n ≡ 1 (mod 20): holds one message, replaced by newer stores; readable by anyone.
constexpr bool is_public_outbox(Namespace n) {
    return n < 0 && (-n) % 20 == 1;
}
/// Retrieve needs no signature: the legacy closed-group namespace and public outboxes.
constexpr bool retrieve_needs_no_auth(Namespace n) {
    return n == ns::kLegacyClosed || is_public_outbox(n);
}
/// A revoked subaccount may still retrieve from these.
constexpr bool is_unrevocable(Namespace n) {
    return n < 0 && (-n) % 100 == 11;
}

/// How a namespace appears in signed strings and message hashes: "" for 0, else decimal.
std::string namespace_string(Namespace n);

}  // namespace sessionsim::storage
