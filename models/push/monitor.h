// Swarm monitoring for push notifications (storage server oxenss/server/omq.h monitor.messages;
// session-push-notification-server). A subscriber asks a swarm member to tell it about new
// messages for an account; the request carries the account owner's signature over
//   "MONITOR" || HEX(account) || sig_ts (seconds) || "0"/"1" (include data) || ns0 "," ns1 ...
// so only the owner can have its swarm watched. The subscription lasts 65 minutes; every new
// message then produces notify.message {@: account, h: hash, n: namespace, t: timestamp,
// z: expiry, ~: data (if asked for)}.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/storage/message_store.h"

namespace sessionsim::push {

inline constexpr std::int64_t kMonitorDurationMs = 65LL * 60 * 1000;

std::string monitor_signed_string(const identity::AccountId& account, std::int64_t sig_ts_s,
                                  bool data, const std::vector<storage::Namespace>& namespaces);

struct MonitorRequest {
    identity::AccountId account;
    std::optional<crypto::Ed25519PublicKey> session_ed25519;  ///< for 05 accounts
    std::vector<storage::Namespace> namespaces;               ///< sorted, unique
    bool data = false;
    std::int64_t sig_ts_s = 0;
    crypto::Ed25519Signature signature{};

    /// bencoded {P or p, d, n, s, t}.
    std::string encode() const;
    /// Throws InvalidInput naming the bad field.
    static MonitorRequest decode(std::string_view bytes);
    /// The owner's signature (for 05 accounts: session_ed25519 must convert to the account key).
    bool verify() const;
};

struct Notification {
    identity::AccountId account;
    std::string hash;
    storage::Namespace ns = 0;
    std::int64_t timestamp_ms = 0, expiry_ms = 0;
    std::optional<Bytes> data;

    std::string encode() const;
    static Notification decode(std::string_view bytes);  ///< throws InvalidInput
};

/// What a swarm member keeps: who watches which account, until when.
class MonitorTable {
public:
    /// Verifies and (re)subscribes `subscriber`. Returns an error text, or nullopt on success.
    std::optional<std::string> subscribe(std::uint64_t subscriber, const MonitorRequest& request,
                                         std::int64_t now_ms);
    /// The notifications one newly stored message produces, per subscriber.
    std::vector<std::pair<std::uint64_t, std::string>> notify(const storage::StoredMessage& m,
                                                              std::int64_t now_ms);
    std::size_t size() const;

private:
    struct Watch {
        std::uint64_t subscriber;
        std::vector<storage::Namespace> namespaces;
        bool data;
        std::int64_t expires_ms;
    };
    std::map<identity::AccountId, std::vector<Watch>> watches_;
};

}  // namespace sessionsim::push
