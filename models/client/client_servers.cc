// Requests that are not the swarm's: v4 requests to external servers (file, push), push
// subscriptions and notifications, latency probes.
#include "models/client/client.h"

#include <algorithm>
#include <utility>

#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/onion/response.h"

namespace sessionsim::client {

using nlohmann::json;

std::pair<std::uint64_t, ClientEvents> Client::server_request(
    const onion::ServerKeys& server, const onion::V4Request& request, std::int64_t now,
    std::optional<std::int64_t> timeout_ms) {
    const std::uint64_t id = next_id_++;
    ClientEvents events;
    send_server_request(id, server, request, timeout_ms, now, events);
    return {id, std::move(events)};
}

void Client::send_server_request(std::uint64_t id, const onion::ServerKeys& server,
                                 const onion::V4Request& request,
                                 std::optional<std::int64_t> timeout_ms, std::int64_t now,
                                 ClientEvents& events) {
    auto path = paths_.path_for(crypto::Ed25519PublicKey{}, random_, now);
    start_guard_tests(events);
    const auto no_path = [id](ClientEvents& out) {
        out.push_back(ServerReplied{id, 0, "", "no onion path could be built"});
    };
    if (!path && paths_.testing()) {
        waiting_.push_back({[=, this](ClientEvents& out, std::int64_t at) {
                                send_server_request(id, server, request, timeout_ms, at, out);
                            },
                            no_path, false});
        return;
    }
    if (!path) {
        no_path(events);
        return;
    }
    ++counters_.requests;
    std::vector<onion::NodeKeys> hops;
    for (const auto& n : *path)
        hops.push_back(n.onion_keys());
    const auto built = onion::build_onion(
        hops, server,
        onion::build_v4_request(request.method, request.endpoint, request.headers, request.body),
        config_.enc_type, random_);
    InFlight f{Kind::server, std::move(*path), {}, built.reply_key, {}, 0, false};
    SendOnion send{id,
                   f.path.front(),
                   built.entry_body,
                   timeout_ms.value_or(config_.request_timeout_ms),
                   {},
                   f.path.size(),
                   false};
    in_flight_.emplace(id, std::move(f));
    events.push_back(std::move(send));
}

ClientEvents Client::on_server_reply(std::uint64_t id, const InFlight& f,
                                     const std::optional<node::WireReply>& reply,
                                     std::int64_t now) {
    if (!reply) {
        ++counters_.timeouts;
        report_failure(f.path, PathFailure::timeout, std::nullopt, now);
        return {ServerReplied{id, 0, "", "request timed out"}};
    }
    if (reply->status != 200)  // the exit could not reach the server, or a hop failed
        return {ServerReplied{id, 0, "", std::to_string(reply->status) + " " + reply->body}};
    try {
        auto opened = onion::open_v4_response(*f.reply_key, as_bytes(reply->body));
        return {ServerReplied{id, opened.code, std::move(opened.body), ""}};
    } catch (const InvalidInput& e) {
        report_failure(f.path, PathFailure::bad_response, std::nullopt, now);
        return {ServerReplied{id, 0, "", e.what()}};
    }
}

push::Subscribe Client::push_subscription(const std::string& service, const std::string& token,
                                          const FixedBytes<32>& enc_key, std::int64_t now) const {
    push::Subscribe s;
    s.monitor.account = identity_.session_id();
    s.monitor.session_ed25519 = identity_.ed25519().public_key;
    s.monitor.namespaces = {0};
    s.monitor.data = true;
    s.monitor.sig_ts_s = now / 1000;
    s.monitor.signature = crypto::ed25519_sign(
        identity_.ed25519().secret_key,
        as_bytes(push::monitor_signed_string(s.monitor.account, s.monitor.sig_ts_s, true,
                                             s.monitor.namespaces)));
    s.service = service;
    s.token = token;
    s.enc_key = enc_key;
    return s;
}

ClientEvents Client::on_push(const std::string& enc_payload, const FixedBytes<32>& enc_key,
                             std::int64_t now) {
    ++counters_.pushes;
    push::PushPayload payload;
    try {
        payload = push::open_push_payload(enc_payload, enc_key);
    } catch (const std::exception&) {
        ++counters_.undecryptable;
        return {};
    }
    const std::string hash = string_field(payload.meta, "#");
    if (string_field(payload.meta, "@") != identity_.session_id().to_hex() || !payload.data) {
        next_poll_ms_ = now;  // no message in it: fetch it
        return poll(now);
    }
    if (!poll_state_.first_sighting(hash, int_field(payload.meta, "z"))) {
        ++counters_.duplicates_dropped;
        return {};
    }
    try {
        auto text = message::open_text_message(identity_, *payload.data);
        ++counters_.pushed_messages;
        return {MessageReceived{std::move(text), hash, now, std::nullopt}};
    } catch (const std::exception&) {
        ++counters_.undecryptable;
        return {};
    }
}

ClientEvents Client::probe(const NodeInfo& target, std::size_t hops, std::int64_t now) {
    (void)now;
    const json info{{"method", "info"}, {"params", json::object()}};
    const InFlight request{Kind::probe, {}, target, std::nullopt, identity_.session_id(), 0, false};
    if (hops == 0) {
        const std::uint64_t id = next_id_++;
        in_flight_.emplace(id, request);
        return {SendDirect{id, target, info.dump(), config_.request_timeout_ms}};
    }
    auto path = paths_.one_off_path(hops, target.ed25519, random_);
    if (!path)
        return {};
    return {send_over(std::move(*path), request, info)};
}

}  // namespace sessionsim::client
