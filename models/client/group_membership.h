// A client's membership of a groups v2 group: the per-group key it signs swarm requests with,
// the admin's subaccount token for that key, the group keys it could open, and its polling
// schedule (desktop swarmPolling.ts: 5 s if the group was active within 2 days, 60 s within
// 7 days, otherwise 120 s).
#pragma once

#include <cstdint>
#include <optional>

#include "models/crypto/ed25519.h"
#include "models/group/group_keys.h"
#include "models/storage/subaccount.h"

namespace sessionsim::client {

/// What a member is handed when invited. In the apps this travels in a GroupUpdateInviteMessage
/// (the group's key and the admin's subaccount signature); the simulator hands it over directly.
struct GroupInvite {
    crypto::Ed25519PublicKey group_key{};
    crypto::Ed25519KeyPair member_key;  ///< the member's per-group signing key
    storage::SignedSubaccount token;
};

inline constexpr std::int64_t kGroupActiveWindowMs = 2LL * 24 * 3600 * 1000;
inline constexpr std::int64_t kGroupRecentWindowMs = 7LL * 24 * 3600 * 1000;

constexpr std::int64_t group_poll_interval_ms(std::int64_t now_ms,
                                              std::optional<std::int64_t> last_activity_ms) {
    if (last_activity_ms && now_ms - *last_activity_ms <= kGroupActiveWindowMs)
        return 5'000;
    if (last_activity_ms && now_ms - *last_activity_ms <= kGroupRecentWindowMs)
        return 60'000;
    return 120'000;
}

struct GroupMembership {
    GroupInvite invite;
    group::GroupKeyring keyring;
    std::optional<std::int64_t> last_activity_ms;  ///< newest message seen (or joining)
    std::int64_t next_poll_ms = 0;
};

}  // namespace sessionsim::client
