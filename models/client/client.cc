#include "models/client/client.h"

#include "models/common/base64.h"
#include "models/onion/builder.h"
#include "models/onion/response.h"
#include "models/storage/request_signatures.h"

namespace sessionsim::client {

using nlohmann::json;

Client::Client(identity::Identity identity, ClientConfig config, NodePool pool,
               crypto::RandomSource& random, std::vector<storage::Namespace> poll_namespaces)
    : identity_(std::move(identity)),
      config_(config),
      pool_(std::move(pool)),
      random_(random),
      poll_namespaces_(std::move(poll_namespaces)),
      paths_(config_, pool_),
      swarms_(config_.min_swarm_cache) {}

std::optional<SendOnion> Client::request(Kind kind, const NodeInfo& destination, const json& rpc,
                                         const identity::AccountId& account,
                                         std::uint64_t message_id, bool for_poll) {
    auto path = paths_.path_for(destination.ed25519, random_);
    if (!path)
        return std::nullopt;
    ++counters_.requests;
    return send_over(std::move(*path),
                     {kind, {}, destination, std::nullopt, account, message_id, for_poll}, rpc);
}

SendOnion Client::send_over(Path path, InFlight request, const json& rpc) {
    std::vector<onion::NodeKeys> hops;
    for (const auto& n : path)
        hops.push_back(n.onion_keys());
    const auto built = onion::build_onion(hops, request.destination.onion_keys(),
                                          as_bytes(rpc.dump()), config_.enc_type, random_);
    const std::uint64_t id = next_id_++;
    SendOnion send{id,
                   path.front(),
                   built.entry_body,
                   config_.request_timeout_ms,
                   request.destination.ed25519,
                   path.size(),
                   request.kind == Kind::probe};
    request.path = std::move(path);
    request.reply_key = built.reply_key;
    in_flight_.emplace(id, std::move(request));
    return send;
}

std::pair<std::uint64_t, ClientEvents> Client::send_text(const identity::AccountId& recipient,
                                                         std::string_view text, std::int64_t now) {
    const std::uint64_t id = next_id_++;
    outgoing_[id] = Outgoing{
        recipient, message::compose_text_message(identity_, recipient.key, text, now, random_), now,
        0};
    return {id, attempt_send(id, now)};
}

ClientEvents Client::fetch_swarm(const identity::AccountId& account, std::uint64_t message_id,
                                 bool for_poll, std::int64_t now) {
    (void)now;
    if (pool_.size() == 0) {
        if (message_id == 0)
            return {};
        outgoing_.erase(message_id);
        return {MessageFailed{message_id, "the node pool is empty"}};
    }
    const NodeInfo& any = pool_.nodes()[random_.uniform(pool_.size())];
    ++counters_.swarm_fetches;
    const json rpc{{"method", "get_swarm"}, {"params", {{"pubkey", account.to_hex()}}}};
    if (auto send = request(Kind::get_swarm, any, rpc, account, message_id, for_poll))
        return {*send};
    if (message_id == 0)
        return {};  // a poll tries again at the next interval
    outgoing_.erase(message_id);
    return {MessageFailed{message_id, "no onion path could be built"}};
}

ClientEvents Client::attempt_send(std::uint64_t message_id, std::int64_t now) {
    auto it = outgoing_.find(message_id);
    if (it == outgoing_.end())
        return {};
    Outgoing& out = it->second;
    if (out.attempts >= config_.send_attempts) {
        outgoing_.erase(it);
        return {MessageFailed{
            message_id, "gave up after " + std::to_string(config_.send_attempts) + " attempts"}};
    }
    const auto members = swarms_.usable(out.recipient);
    if (!members) {
        // A fetched swarm can still be unusable (its members struck off during an outage):
        // bounded, or the client would ask for it again at every reply.
        if (++out.swarm_fetches > config_.send_attempts) {
            outgoing_.erase(it);
            return {MessageFailed{message_id, "no usable node in the recipient's swarm"}};
        }
        return fetch_swarm(out.recipient, message_id, false, now);
    }
    ++out.attempts;
    const NodeInfo& target = (*members)[random_.uniform(members->size())];
    const json rpc{{"method", "store"},
                   {"params",
                    {{"pubkey", out.recipient.to_hex()},
                     {"timestamp", out.timestamp_ms},
                     {"ttl", config_.message_ttl_ms},
                     {"data", to_base64(out.data)}}}};
    if (auto send = request(Kind::store, target, rpc, out.recipient, message_id, false))
        return {*send};
    outgoing_.erase(message_id);
    return {MessageFailed{message_id, "no onion path could be built"}};
}

ClientEvents Client::poll(std::int64_t now) {
    if (now < next_poll_ms_)
        return {};
    next_poll_ms_ = now + config_.poll_interval_ms;
    ++counters_.polls;
    poll_state_.prune(now);
    const auto members = swarms_.usable(identity_.session_id());
    if (!members)
        return fetch_swarm(identity_.session_id(), 0, true, now);
    return poll_swarm(*members, now);
}

ClientEvents Client::poll_swarm(const std::vector<NodeInfo>& members, std::int64_t now) {
    std::vector<NodeInfo> chosen = members;
    random_.shuffle(std::span(chosen));
    chosen.resize(std::min(chosen.size(), config_.poll_nodes));
    ClientEvents events;
    for (const auto& node : chosen) {
        json requests = json::array();
        for (const auto ns : poll_namespaces_) {
            json params{{"pubkey", identity_.session_id().to_hex()},
                        {"pubkey_ed25519", to_hex(identity_.ed25519().public_key)},
                        {"timestamp", now},
                        {"signature", storage::sign_request(
                                          identity_, storage::retrieve_signed_string(ns, now))}};
            if (ns != 0)
                params["namespace"] = ns;
            if (const auto& lh = poll_state_.last_hash(node.ed25519, ns); !lh.empty())
                params["last_hash"] = lh;
            requests.push_back({{"method", "retrieve"}, {"params", params}});
        }
        const json rpc{{"method", "batch"}, {"params", {{"requests", requests}}}};
        if (auto send = request(Kind::retrieve, node, rpc, identity_.session_id(), 0, true)) {
            events.push_back(*send);
        }
    }
    return events;
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
                            const std::optional<crypto::Ed25519PublicKey>& node) {
    paths_.report_failure(path, failure, node, random_);
    swarms_.drop_missing(pool_);  // nodes struck off the pool leave the cached swarms too
}

ClientEvents Client::on_reply(std::uint64_t request_id, const std::optional<node::WireReply>& reply,
                              std::int64_t now) {
    auto node = in_flight_.extract(request_id);
    if (!node)
        return {};
    const InFlight f = std::move(node.mapped());
    if (f.kind == Kind::probe)
        return {};  // a probe's outcome is the driver's measurement
    if (!reply) {
        ++counters_.timeouts;
        report_failure(f.path, PathFailure::timeout, std::nullopt);
        return retry_or_fail(f, "request timed out", now);
    }
    if (reply->status != 200) {
        static const std::string not_found = "Next node not found: ";
        if (reply->status == 502 && reply->body.rfind(not_found, 0) == 0) {
            try {
                const auto bad =
                    fixed_from_hex<32>(reply->body.substr(not_found.size(), 64), "node");
                report_failure(f.path, PathFailure::node_not_found, bad);
            } catch (const InvalidInput&) {
                report_failure(f.path, PathFailure::bad_response, std::nullopt);
            }
        } else {
            report_failure(f.path, PathFailure::timeout, std::nullopt);
        }
        return retry_or_fail(f, std::to_string(reply->status) + " " + reply->body, now);
    }
    onion::V3Response inner;
    try {
        inner = onion::open_v3_reply(*f.reply_key, reply->body);
    } catch (const InvalidInput& e) {
        report_failure(f.path, PathFailure::bad_response, std::nullopt);
        return retry_or_fail(f, e.what(), now);
    }
    return handle_ok(f, inner.status, inner.body, now);
}

ClientEvents Client::handle_ok(const InFlight& f, int status, const std::string& text,
                               std::int64_t now) {
    const json body = json::parse(text, nullptr, false);
    if (status == 421) {
        ++counters_.wrong_swarm;
        swarms_.set(f.account, SwarmCache::parse_snodes(body), random_);
        return retry_or_fail(f, "421 wrong swarm", now);
    }
    if (status == 406) {
        if (f.kind == Kind::store) {
            outgoing_.erase(f.message_id);
            return {MessageFailed{f.message_id, "406 clock out of sync"}};
        }
        return {};
    }
    if (status != 200 || body.is_discarded())
        return retry_or_fail(f, std::to_string(status) + " " + text, now);
    switch (f.kind) {
        case Kind::get_swarm: {
            swarms_.set(f.account, SwarmCache::parse_snodes(body), random_);
            if (f.for_poll) {
                const auto members = swarms_.usable(f.account);
                return members ? poll_swarm(*members, now) : ClientEvents{};
            }
            return attempt_send(f.message_id, now);
        }
        case Kind::store: {
            auto it = outgoing_.find(f.message_id);
            const int attempts = it == outgoing_.end() ? 0 : it->second.attempts;
            outgoing_.erase(f.message_id);
            return {MessageStored{f.message_id, body.value("hash", ""), attempts, now}};
        }
        case Kind::retrieve:
            return handle_retrieve(f, body, now);
        case Kind::probe:
            return {};  // answered before the switch; listed for -Wswitch
    }
    return {};
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

ClientEvents Client::handle_retrieve(const InFlight& f, const json& body, std::int64_t now) {
    ClientEvents events;
    if (!body.contains("results") || !body.at("results").is_array())
        return events;
    const auto& results = body.at("results");
    for (std::size_t i = 0; i < results.size() && i < poll_namespaces_.size(); ++i) {
        const auto& r = results[i];
        if (r.value("code", 0) != 200 || !r.contains("body") || !r.at("body").contains("messages"))
            continue;
        const auto ns = poll_namespaces_[i];
        for (const auto& m : r.at("body").at("messages")) {
            const std::string hash = m.value("hash", "");
            poll_state_.set_last_hash(f.destination.ed25519, ns, hash);
            if (!poll_state_.first_sighting(hash, m.value("expiration", std::int64_t{0}))) {
                ++counters_.duplicates_dropped;
                continue;
            }
            if (ns != 0)
                continue;  // config namespaces are not text messages
            try {
                auto text = message::open_text_message(
                    identity_, from_base64(m.at("data").get<std::string>()));
                events.push_back(MessageReceived{std::move(text), hash, now});
            } catch (const std::exception&) {
                ++counters_.undecryptable;
            }
        }
    }
    return events;
}

}  // namespace sessionsim::client
