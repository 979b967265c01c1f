#include "models/push/monitor.h"

#include <algorithm>

#include "models/common/bencode.h"
#include "models/common/errors.h"

namespace sessionsim::push {

namespace {

std::string str(ByteView b) {
    return {b.begin(), b.end()};
}

std::string account_bytes(const identity::AccountId& a) {
    std::string s(1, static_cast<char>(a.prefix));
    s += str(a.key);
    return s;
}

identity::AccountId account_of(const std::string& s, const char* field) {
    if (s.size() != 33)
        throw InvalidInput(std::string(field) + ": expected a 33-byte account id");
    identity::AccountId a;
    a.prefix = static_cast<std::uint8_t>(s[0]);
    std::copy(s.begin() + 1, s.end(), a.key.begin());
    return a;
}

template <std::size_t N>
FixedBytes<N> fixed(const std::string& s, const char* field) {
    if (s.size() != N)
        throw InvalidInput(std::string(field) + ": expected " + std::to_string(N) + " bytes");
    FixedBytes<N> out;
    std::copy(s.begin(), s.end(), out.begin());
    return out;
}

}  // namespace

std::string monitor_signed_string(const identity::AccountId& account, std::int64_t sig_ts_s,
                                  bool data, const std::vector<storage::Namespace>& namespaces) {
    std::string s = "MONITOR" + account.to_hex() + std::to_string(sig_ts_s) + (data ? "1" : "0");
    for (std::size_t i = 0; i < namespaces.size(); ++i)
        s += (i ? "," : "") + std::to_string(namespaces[i]);
    return s;
}

std::string MonitorRequest::encode() const {
    bencode::Dict d;
    if (session_ed25519)
        d["P"] = str(*session_ed25519);
    else
        d["p"] = account_bytes(account);
    d["d"] = std::int64_t{data ? 1 : 0};
    bencode::List ns;
    for (const auto n : namespaces)
        ns.emplace_back(std::int64_t{n});
    d["n"] = std::move(ns);
    d["s"] = str(signature);
    d["t"] = sig_ts_s;
    return bencode::encode(d);
}

MonitorRequest MonitorRequest::decode(std::string_view bytes) {
    const auto d = bencode::decode(bytes).as_dict();
    MonitorRequest r;
    if (const auto it = d.find("P"); it != d.end()) {
        r.session_ed25519 = fixed<32>(it->second.as_string(), "P");
        r.account.prefix = static_cast<std::uint8_t>(identity::AccountPrefix::standard);
        try {
            r.account.key = crypto::ed25519_pk_to_x25519(*r.session_ed25519);
        } catch (const CryptoError&) {
            throw InvalidInput("P: not a valid Ed25519 public key");
        }
    } else {
        r.account = account_of(bencode::at(d, "p").as_string(), "p");
    }
    r.data = bencode::at(d, "d").as_int() != 0;
    for (const auto& n : bencode::at(d, "n").as_list()) {
        const auto v = n.as_int();
        if (v < -32768 || v > 32767)
            throw InvalidInput("n: namespace out of range");
        r.namespaces.push_back(static_cast<storage::Namespace>(v));
    }
    if (r.namespaces.empty() || !std::is_sorted(r.namespaces.begin(), r.namespaces.end()) ||
        std::adjacent_find(r.namespaces.begin(), r.namespaces.end()) != r.namespaces.end())
        throw InvalidInput("n: namespaces must be a non-empty sorted list without duplicates");
    r.signature = fixed<64>(bencode::at(d, "s").as_string(), "s");
    r.sig_ts_s = bencode::at(d, "t").as_int();
    return r;
}

bool MonitorRequest::verify() const {
    const auto message = monitor_signed_string(account, sig_ts_s, data, namespaces);
    const auto key = session_ed25519 ? *session_ed25519 : account.key;
    return crypto::ed25519_verify(key, signature, as_bytes(message));
}

std::string Notification::encode() const {
    bencode::Dict d;
    d["@"] = account_bytes(account);
    d["h"] = hash;
    d["n"] = std::int64_t{ns};
    d["t"] = timestamp_ms;
    d["z"] = expiry_ms;
    if (data)
        d["~"] = str(*data);
    return bencode::encode(d);
}

Notification Notification::decode(std::string_view bytes) {
    const auto d = bencode::decode(bytes).as_dict();
    Notification n;
    n.account = account_of(bencode::at(d, "@").as_string(), "@");
    n.hash = bencode::at(d, "h").as_string();
    n.ns = static_cast<storage::Namespace>(bencode::at(d, "n").as_int());
    n.timestamp_ms = bencode::at(d, "t").as_int();
    n.expiry_ms = bencode::at(d, "z").as_int();
    if (const auto it = d.find("~"); it != d.end()) {
        const auto& s = it->second.as_string();
        n.data = Bytes(s.begin(), s.end());
    }
    return n;
}

std::optional<std::string> MonitorTable::subscribe(std::uint64_t subscriber,
                                                   const MonitorRequest& request,
                                                   std::int64_t now_ms) {
    // The storage server accepts signatures made within the last 14 days.
    const std::int64_t age_s = now_ms / 1000 - request.sig_ts_s;
    if (age_s > 14 * 86400 || age_s < -86400)
        return "signature timestamp out of range";
    if (!request.verify())
        return "signature verification failed";
    auto& list = watches_[request.account];
    std::erase_if(list, [&](const Watch& w) { return w.subscriber == subscriber; });
    list.push_back({subscriber, request.namespaces, request.data, now_ms + kMonitorDurationMs});
    return std::nullopt;
}

std::vector<std::pair<std::uint64_t, std::string>> MonitorTable::notify(
    const storage::StoredMessage& m, std::int64_t now_ms) {
    std::vector<std::pair<std::uint64_t, std::string>> out;
    const auto it = watches_.find(m.owner);
    if (it == watches_.end())
        return out;
    std::erase_if(it->second, [&](const Watch& w) { return w.expires_ms <= now_ms; });
    for (const auto& w : it->second) {
        if (!std::binary_search(w.namespaces.begin(), w.namespaces.end(), m.ns))
            continue;
        Notification n{m.owner, m.hash, m.ns, m.timestamp_ms, m.expiry_ms, std::nullopt};
        if (w.data)
            n.data = m.data;
        out.emplace_back(w.subscriber, n.encode());
    }
    return out;
}

std::size_t MonitorTable::size() const {
    std::size_t n = 0;
    for (const auto& [a, list] : watches_)
        n += list.size();
    return n;
}

}  // namespace sessionsim::push
