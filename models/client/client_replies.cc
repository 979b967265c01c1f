// What the client does with an answer: a store's acknowledgement checked against the swarm's
// signatures, a retrieve's messages, a swarm, a refusal or a lost connection (retry, strike the
// path, or give up).
#include <algorithm>

#include "models/client/client.h"
#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/onion/response.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_signatures.h"
#include "models/storage/rpc_params.h"

namespace sessionsim::client {

using nlohmann::json;

ClientEvents Client::refuse_answer(const InFlight& f, const std::string& reason, std::int64_t now) {
    ++counters_.bad_replies;
    report_failure(f.path, PathFailure::node_unreachable, f.destination.ed25519, now);
    swarms_.drop_member(f.account, f.destination.ed25519);
    return retry_or_fail(f, reason, now);
}

bool Client::ack_verified(const Outgoing& out, const json& body, std::int64_t now) const {
    if (out.method != "store")
        return true;
    const json params = out.params(now);
    const auto data = string_field(params, "data");
    const auto ns = static_cast<storage::Namespace>(int_field(params, "namespace", 0));
    const std::string expected = storage::message_hash(out.recipient, ns, from_base64(data));
    const auto swarm = body.find("swarm");
    if (swarm == body.end() || !swarm->is_object())
        return false;
    int valid = 0;
    for (const auto& [node_hex, result] : swarm->items()) {
        if (string_field(result, "hash") != expected)
            continue;
        try {
            // Signatures come base64-encoded as in requests: read them as the server does.
            const auto signature = storage::RpcParams(result).signature();
            if (signature && crypto::ed25519_verify(fixed_from_hex<32>(node_hex, "node"),
                                                    *signature, as_bytes(expected)))
                ++valid;
        } catch (const InvalidInput&) {
            // a key or signature that does not parse counts for nothing
        }
    }
    return valid >= config_.store_ack_signatures;
}

ClientEvents Client::retry_or_fail(const InFlight& f, const std::string& reason, std::int64_t now) {
    if (f.kind == Kind::store || (f.kind == Kind::get_swarm && f.message_id != 0)) {
        auto it = outgoing_.find(f.message_id);
        if (it != outgoing_.end() && it->second.attempts >= config_.send_attempts) {
            outgoing_.erase(it);
            return {MessageFailed{f.message_id, reason}};
        }
        return attempt_send(f.message_id, now);
    }
    return {};  // a failed poll waits for the next interval
}

void Client::report_failure(const Path& path, PathFailure failure,
                            const std::optional<crypto::Ed25519PublicKey>& node, std::int64_t now) {
    paths_.report_failure(path, failure, node, random_, now);
    swarms_.drop_missing(pool_);  // nodes struck off the pool leave the cached swarms too
}

ClientEvents Client::on_reply(std::uint64_t request_id, const std::optional<node::WireReply>& reply,
                              std::int64_t now) {
    auto node = in_flight_.extract(request_id);
    if (!node)
        return {};
    const InFlight f = std::move(node.mapped());
    ClientEvents events = dispatch_reply(f, request_id, reply, now);
    // Which request a store acknowledgement or a delivery came on: what links a message to its
    // onion paths (the simulator's journeys table).
    for (auto& event : events) {
        if (auto* stored = std::get_if<MessageStored>(&event))
            stored->request_id = request_id;
        else if (auto* received = std::get_if<MessageReceived>(&event))
            received->request_id = request_id;
    }
    start_guard_tests(events);  // strikes may have had a path rebuilt
    if (f.inbox_poll) {
        --inbox_poll_.in_flight;
        if (inbox_poll_.open && inbox_poll_.in_flight == 0)
            close_inbox_poll(now);
    }
    settle_sync_copies(events);
    return events;
}

ClientEvents Client::on_connection_lost(const crypto::Ed25519PublicKey& node, std::int64_t now_ms) {
    ClientEvents events;
    if (config_.connection_loss == ClientConfig::ConnectionLoss::ignored)
        return events;
    ++counters_.connections_lost;
    paths_.connection_lost(node, random_, now_ms);
    swarms_.drop_missing(pool_);  // nodes struck off the pool leave the cached swarms too
    start_guard_tests(events);    // the retired path's replacement
    return events;
}

ClientEvents Client::dispatch_reply(const InFlight& f, std::uint64_t request_id,
                                    const std::optional<node::WireReply>& reply, std::int64_t now) {
    if (f.kind == Kind::probe)
        return {};  // a probe's outcome is the driver's measurement
    if (f.kind == Kind::guard_test)
        return on_guard_test(f, reply, now);
    if (f.kind == Kind::time_check)
        return on_time_check(f, reply, now);
    if (f.kind == Kind::server)
        return on_server_reply(request_id, f, reply, now);
    if (!reply) {
        ++counters_.timeouts;
        report_failure(f.path, PathFailure::timeout, std::nullopt, now);
        return retry_or_fail(f, "request timed out", now);
    }
    if (reply->status != 200) {
        static const std::string not_found = "Next node not found: ";
        if (reply->status == 502 && reply->body.rfind(not_found, 0) == 0) {
            try {
                const auto bad =
                    fixed_from_hex<32>(reply->body.substr(not_found.size(), 64), "node");
                report_failure(f.path, PathFailure::node_not_found, bad, now);
            } catch (const InvalidInput&) {
                report_failure(f.path, PathFailure::bad_response, std::nullopt, now);
            }
        } else {  // 504 from a relay, 500, or any other error the path reports
            report_failure(f.path, PathFailure::bad_response, std::nullopt, now);
        }
        return retry_or_fail(f, std::to_string(reply->status) + " " + reply->body, now);
    }
    onion::V3Response inner;
    try {
        inner = onion::open_v3_reply(*f.reply_key, reply->body);
    } catch (const InvalidInput& e) {
        report_failure(f.path, PathFailure::bad_response, std::nullopt, now);
        return retry_or_fail(f, e.what(), now);
    }
    return handle_ok(f, inner.status, inner.body, now);
}

ClientEvents Client::handle_ok(const InFlight& f, int status, const std::string& text,
                               std::int64_t now) {
    const json body = json::parse(text, nullptr, false);
    if (status == 421) {
        ++counters_.wrong_swarm;
        if (config_.on_wrong_swarm == ClientConfig::WrongSwarm::refetch)
            swarms_.forget(f.account);
        else
            swarms_.set(f.account, SwarmCache::parse_snodes(body), random_);
        return retry_or_fail(f, "421 wrong swarm", now);
    }
    if (status == 406)
        return on_clock_refusal(f, now);
    if (status != 200 || body.is_discarded())
        return retry_or_fail(f, std::to_string(status) + " " + text, now);
    learn_time(body, now);
    switch (f.kind) {
        case Kind::get_swarm: {
            swarms_.set(f.account, SwarmCache::parse_snodes(body), random_);
            if (f.for_poll) {
                const auto members = swarms_.usable(f.account);
                return members ? poll_swarm(f.account, *members, now) : ClientEvents{};
            }
            return attempt_send(f.message_id, now);
        }
        case Kind::store: {
            auto it = outgoing_.find(f.message_id);
            // Every storage server answer to a store names the hash; one that does not is not an
            // answer (it would also leave the message without a name to find it by). Other
            // recursive requests (revoke_subaccount) answer with their own fields.
            const bool is_store = it == outgoing_.end() || it->second.method == "store";
            if (!body.is_object() || (is_store && string_field(body, "hash").empty()))
                return refuse_answer(f, "unreadable store acknowledgement", now);
            if (it != outgoing_.end() && config_.store_ack_signatures > 0 &&
                !ack_verified(it->second, body, now)) {
                ++counters_.acks_rejected;
                return refuse_answer(f, "store acknowledgement not signed by the swarm", now);
            }
            const int attempts = it == outgoing_.end() ? 0 : it->second.attempts;
            std::optional<Outgoing::Text> sent_text;
            if (it != outgoing_.end())
                sent_text = std::move(it->second.text);
            outgoing_.erase(f.message_id);
            ClientEvents events{MessageStored{f.message_id, string_field(body, "hash"), attempts,
                                              now, f.destination.ed25519}};
            if (sent_text) {  // the sync copy goes once the message itself is stored
                auto more = send_sync_copy(*sent_text, now);
                events.insert(events.end(), more.begin(), more.end());
            }
            return events;
        }
        case Kind::retrieve:
            return handle_retrieve(f, body, now);
        case Kind::probe:
        case Kind::server:
        case Kind::guard_test:
        case Kind::time_check:
            return {};  // answered before the switch; listed for -Wswitch
    }
    return {};
}

ClientEvents Client::handle_retrieve(const InFlight& f, const json& body, std::int64_t now) {
    ClientEvents events;
    if (!body.is_object() || !body.contains("results") || !body.at("results").is_array())
        return refuse_answer(f, "unreadable retrieve answer", now);
    const auto& results = body.at("results");
    const auto& namespaces = namespaces_of(f.account);
    const bool readable =
        results.size() >= namespaces.size() &&
        std::all_of(results.begin(), results.end(), [](const json& r) {
            return r.is_object() && r.contains("code") && r.at("code").is_number_integer();
        });
    if (!readable)
        return refuse_answer(f, "unreadable retrieve answer", now);
    if (f.inbox_poll)
        inbox_poll_.answered = true;
    const auto group_it = groups_.find(f.account);
    for (std::size_t i = 0; i < results.size() && i < namespaces.size(); ++i) {
        const auto& r = results[i];
        if (int_field(r, "code") != 200 || !r.contains("body") || !r.at("body").is_object() ||
            !r.at("body").contains("messages") || !r.at("body").at("messages").is_array())
            continue;
        const auto ns = namespaces[i];
        for (const auto& m : r.at("body").at("messages")) {
            const std::string hash = string_field(m, "hash");
            if (hash.empty())
                continue;  // not a message
            if (group_it != groups_.end() && ns == storage::ns::kGroupMessages &&
                group_it->second.keyring.keys().empty()) {
                break;  // no key yet: leave it (and last_hash) for a poll after the keys came
            }
            poll_state_.set_last_hash(f.destination.ed25519, f.account, ns, hash);
            if (!poll_state_.first_sighting(hash, int_field(m, "expiration"))) {
                ++counters_.duplicates_dropped;
                continue;
            }
            if (group_it != groups_.end()) {
                handle_group_message(group_it->second, ns, hash, m, now, events);
                continue;
            }
            if (ns != 0)
                continue;  // config namespaces are not text messages
            try {
                auto text = message::open_text_message(
                    identity_, from_base64(m.at("data").get<std::string>()));
                if (sync_hashes_.erase(hash)) {
                    ++counters_.sync_received;  // the sync copy of a message this client sent
                    continue;
                }
                events.push_back(MessageReceived{std::move(text), hash, now, std::nullopt});
            } catch (const std::exception&) {
                ++counters_.undecryptable;
            }
        }
    }
    return events;
}

}  // namespace sessionsim::client
