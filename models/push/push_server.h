// The push notification server (session-push-notification-server), sans-I/O. Devices subscribe
// through a v4 onion request, POST /subscribe, with the account's MONITOR signature, their
// platform (apns | firebase), device token and a 32-byte key; the server watches the account's
// swarm (monitor.messages, renewed before the 65 minutes run out) and turns each new message
// into an encrypted payload for the platform push service:
//   enc_payload = base64(nonce || XChaCha20-Poly1305(pad256(bencode[json meta, data?]), enc_key))
//   meta = {"@": account, "#": hash, "n": namespace, "t": created, "z": expiry,
//           "l": data length, "B": true if too big}   (data included up to 2,500 bytes)
// It sees which accounts are subscribed, their device tokens, and the time and size of every
// message to them -- never a device's address (subscriptions come through onion requests).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/crypto/random.h"
#include "models/push/monitor.h"
#include "models/server/onion_server.h"

namespace sessionsim::push {

inline constexpr std::size_t kMaxNotifyData = 2500;
/// The server renews its swarm subscriptions this often, well inside their 65 minutes.
inline constexpr std::int64_t kResubscribeMs = 10LL * 60 * 1000;

/// What the device sends in POST /subscribe.
struct Subscribe {
    MonitorRequest monitor;
    std::string service;  ///< "apns" or "firebase"
    std::string token;    ///< the device token the platform delivers to
    FixedBytes<32> enc_key{};

    nlohmann::json to_json() const;
    static Subscribe from_json(const nlohmann::json& j);  ///< throws InvalidInput
};

/// One payload for the platform push service.
struct PlatformPush {
    std::string service;
    std::string token;
    std::string enc_payload;  ///< base64
};

/// A line of what the push server learns (its leakage table).
struct PushLogEntry {
    std::int64_t at_ms = 0;
    std::string account;  ///< hex
    std::string token;
    std::string hash;
    storage::Namespace ns = 0;
    std::size_t bytes = 0;
};

class PushServer : public server::V4Server {
public:
    explicit PushServer(std::uint64_t seed) : random_(seed, "push server") {}

    onion::V4Response handle(const onion::V4Request& request, std::int64_t now_ms) override;

    /// Swarm subscriptions to (re)send now: new ones, and those due for renewal.
    std::vector<MonitorRequest> monitors_due(std::int64_t now_ms);
    /// A notify.message from a swarm member: the pushes it causes (each message once, however
    /// many members report it).
    std::vector<PlatformPush> on_notify(std::string_view notification, std::int64_t now_ms);

    const std::map<std::string, Subscribe>& subscriptions() const { return subs_; }
    const std::vector<PushLogEntry>& log() const { return log_; }

private:
    crypto::SeededRandom random_;
    std::map<std::string, Subscribe> subs_;  ///< by account hex (one device per account)
    /// When each account's swarm subscription is next due, and the same as a queue by time
    /// (entries a resubscription superseded are skipped when they come up).
    std::map<std::string, std::int64_t> next_monitor_ms_;
    std::multimap<std::int64_t, std::string> monitor_queue_;
    void schedule_monitor(const std::string& account, std::int64_t at_ms);
    std::set<std::string> seen_hashes_;
    std::vector<PushLogEntry> log_;
};

/// The device side: decrypts a payload and splits it into metadata and (maybe) the message.
struct PushPayload {
    nlohmann::json meta;
    std::optional<Bytes> data;
};
PushPayload open_push_payload(const std::string& enc_payload_b64, const FixedBytes<32>& enc_key);

}  // namespace sessionsim::push
