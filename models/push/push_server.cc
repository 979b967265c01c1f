#include "models/push/push_server.h"

#include "models/common/base64.h"
#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "models/message/push_notification.h"

namespace sessionsim::push {

using nlohmann::json;

json Subscribe::to_json() const {
    json ns = json::array();
    for (const auto n : monitor.namespaces)
        ns.push_back(n);
    json j{{"pubkey", monitor.account.to_hex()},
           {"namespaces", ns},
           {"data", monitor.data},
           {"sig_ts", monitor.sig_ts_s},
           {"signature", to_base64(monitor.signature)},
           {"service", service},
           {"service_info", {{"token", token}}},
           {"enc_key", to_hex(enc_key)}};
    if (monitor.session_ed25519)
        j["session_ed25519"] = to_hex(*monitor.session_ed25519);
    return j;
}

Subscribe Subscribe::from_json(const json& j) {
    const auto field = [&](const char* k) -> const json& {
        if (!j.is_object() || !j.contains(k))
            throw InvalidInput(std::string("missing required key ") + k);
        return j.at(k);
    };
    Subscribe s;
    try {
        s.monitor.account = identity::AccountId::parse(field("pubkey").get<std::string>());
        if (j.contains("session_ed25519"))
            s.monitor.session_ed25519 =
                fixed_from_hex<32>(j.at("session_ed25519").get<std::string>(), "session_ed25519");
        for (const auto& n : field("namespaces"))
            s.monitor.namespaces.push_back(n.get<storage::Namespace>());
        s.monitor.data = field("data").get<bool>();
        s.monitor.sig_ts_s = field("sig_ts").get<std::int64_t>();
        const Bytes sig = from_base64(field("signature").get<std::string>());
        if (sig.size() != 64)
            throw InvalidInput("signature must be 64 bytes");
        std::copy(sig.begin(), sig.end(), s.monitor.signature.begin());
        s.service = field("service").get<std::string>();
        s.token = field("service_info").at("token").get<std::string>();
        s.enc_key = fixed_from_hex<32>(field("enc_key").get<std::string>(), "enc_key");
    } catch (const json::exception& e) {
        throw InvalidInput(std::string("invalid subscription: ") + e.what());
    }
    if (s.service != "apns" && s.service != "firebase")
        throw InvalidInput("unknown service '" + s.service + "' (expected apns or firebase)");
    if (s.monitor.account.prefix == 0x05 && !s.monitor.session_ed25519)
        throw InvalidInput("missing required key session_ed25519");
    return s;
}

onion::V4Response PushServer::handle(const onion::V4Request& request, std::int64_t now_ms) {
    if (request.endpoint != "/subscribe" || request.method != "POST")
        return server::json_response(404, {{"error", "Not found: " + request.endpoint}});
    Subscribe s;
    try {
        s = Subscribe::from_json(json::parse(request.body.value_or(""), nullptr, false));
    } catch (const InvalidInput& e) {
        return server::json_response(400,
                                     {{"success", false}, {"error", 1}, {"message", e.what()}});
    }
    const std::int64_t age_s = now_ms / 1000 - s.monitor.sig_ts_s;
    if (age_s > 14 * 86400 || age_s < -86400 || !s.monitor.verify()) {
        return server::json_response(
            400, {{"success", false}, {"error", 2}, {"message", "Invalid signature"}});
    }
    const std::string account = s.monitor.account.to_hex();
    const bool added = !subs_.contains(account);
    subs_[account] = std::move(s);
    schedule_monitor(account, now_ms);  // subscribe to the swarm at once
    return server::json_response(200, {{"success", true}, {added ? "added" : "updated", true}});
}

void PushServer::schedule_monitor(const std::string& account, std::int64_t at_ms) {
    next_monitor_ms_[account] = at_ms;
    monitor_queue_.emplace(at_ms, account);
}

std::vector<MonitorRequest> PushServer::monitors_due(std::int64_t now_ms) {
    // Called after every request: only what is due is looked at, not every subscription.
    std::vector<MonitorRequest> out;
    while (!monitor_queue_.empty() && monitor_queue_.begin()->first <= now_ms) {
        const auto [at_ms, account] = *monitor_queue_.begin();
        monitor_queue_.erase(monitor_queue_.begin());
        if (next_monitor_ms_.at(account) != at_ms)
            continue;  // rescheduled since: a later entry stands for it
        out.push_back(subs_.at(account).monitor);
        schedule_monitor(account, now_ms + kResubscribeMs);
    }
    return out;
}

std::vector<PlatformPush> PushServer::on_notify(std::string_view notification,
                                                std::int64_t now_ms) {
    Notification n;
    try {
        n = Notification::decode(notification);
    } catch (const InvalidInput&) {
        return {};
    }
    const std::string account = n.account.to_hex();
    const auto sub = subs_.find(account);
    if (sub == subs_.end() || !seen_hashes_.insert(n.hash).second)
        return {};
    const auto& s = sub->second;
    if (!std::binary_search(s.monitor.namespaces.begin(), s.monitor.namespaces.end(), n.ns))
        return {};
    json meta{
        {"@", account}, {"#", n.hash}, {"n", n.ns}, {"t", n.timestamp_ms}, {"z", n.expiry_ms}};
    bencode::List parts;
    if (n.data) {
        meta["l"] = n.data->size();
        if (n.data->size() > kMaxNotifyData)
            meta["B"] = true;
    }
    parts.emplace_back(meta.dump());
    if (n.data && n.data->size() <= kMaxNotifyData)
        parts.emplace_back(std::string(n.data->begin(), n.data->end()));
    const std::string plain = bencode::encode(parts);
    const auto nonce = random_.bytes<24>();
    const Bytes sealed = message::encrypt_push_notification(as_bytes(plain), s.enc_key, nonce, 256);
    log_.push_back({now_ms, account, s.token, n.hash, n.ns, n.data ? n.data->size() : 0});
    return {PlatformPush{s.service, s.token, to_base64(sealed)}};
}

PushPayload open_push_payload(const std::string& enc_payload_b64, const FixedBytes<32>& enc_key) {
    const Bytes plain = message::decrypt_push_notification(from_base64(enc_payload_b64), enc_key);
    const auto list = bencode::decode(std::string(plain.begin(), plain.end())).as_list();
    if (list.empty())
        throw InvalidInput("push payload: empty list");
    PushPayload out;
    out.meta = json::parse(list[0].as_string(), nullptr, false);
    if (!out.meta.is_object())
        throw InvalidInput("push payload: metadata is not a JSON object");
    if (list.size() > 1) {
        const auto& d = list[1].as_string();
        out.data = Bytes(d.begin(), d.end());
    }
    return out;
}

}  // namespace sessionsim::push
