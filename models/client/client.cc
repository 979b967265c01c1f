// The client's core: the node pool, sending (one-to-one messages, their sync copies, swarm
// lookups), and onion requests over the paths. Replies: client_replies.cc; groups:
// client_groups.cc; polling, servers, the clock and guard tests in their own files.
#include "models/client/client.h"

#include <algorithm>

#include "models/client/client_rpc.h"
#include "models/common/base64.h"
#include "models/onion/builder.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_signatures.h"

namespace sessionsim::client {

using detail::add_subaccount_auth;
using detail::store_params;
using nlohmann::json;

Client::Client(identity::Identity identity, ClientConfig config, NodePool pool,
               crypto::RandomSource& random)
    : identity_(std::move(identity)),
      config_(std::move(config)),
      pool_(std::move(pool)),
      random_(random),
      paths_(config_, pool_),
      swarms_(config_.min_swarm_cache),
      poll_targets_(config_.poll_node_choice, config_.poll_nodes, config_.poll_node_reuse) {
    if (config_.path_rotation_ms > 0)
        paths_.use_own_rotation_stream(random_);
}

bool Client::pool_refresh_due(std::int64_t now) const {
    return now - pool_fetched_ms_ >= config_.pool_refresh_interval_ms ||
           pool_.size() < config_.pool_min_size;
}

void Client::refresh_pool(NodePool fresh, std::int64_t now) {
    pool_ = std::move(fresh);
    pool_fetched_ms_ = now;
    ++counters_.pool_refreshes;
    paths_.on_pool_refresh(now);
}

std::optional<ClientEvents> Client::request(Kind kind, const NodeInfo& destination, const json& rpc,
                                            const identity::AccountId& account,
                                            std::uint64_t message_id, bool for_poll,
                                            std::int64_t now) {
    ClientEvents events;
    auto path = paths_.path_for(destination.ed25519, random_, now);
    start_guard_tests(events);
    const bool inbox_poll = inbox_poll_.open && for_poll && account == identity_.session_id();
    if (!path) {
        if (!paths_.testing())
            return std::nullopt;
        if (inbox_poll)
            ++inbox_poll_.in_flight;  // the poll is not over while its retrieve waits
        waiting_.push_back(
            {[=, this](ClientEvents& out, std::int64_t at) {
                 if (auto sent = request(kind, destination, rpc, account, message_id, for_poll, at))
                     out.insert(out.end(), sent->begin(), sent->end());
                 else
                     fail_request(kind, message_id, out);
             },
             [=, this](ClientEvents& out) { fail_request(kind, message_id, out); }, inbox_poll});
        return events;
    }
    ++counters_.requests;
    if (inbox_poll)
        ++inbox_poll_.in_flight;
    events.push_back(send_over(
        std::move(*path),
        {kind, {}, destination, std::nullopt, account, message_id, for_poll, inbox_poll, now},
        rpc));
    return events;
}

void Client::fail_request(Kind kind, std::uint64_t message_id, ClientEvents& events) {
    if (message_id == 0 || (kind != Kind::store && kind != Kind::get_swarm))
        return;  // a poll tries again at the next interval
    if (outgoing_.erase(message_id))
        events.push_back(MessageFailed{message_id, "no onion path could be built"});
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

std::pair<std::uint64_t, ClientEvents> Client::enqueue(Outgoing out, std::int64_t now) {
    const std::uint64_t id = next_id_++;
    outgoing_.emplace(id, std::move(out));
    ClientEvents events;
    if (!time_checked_)
        check_time(now, events);  // info_median: the first request learns the network's time
    auto more = attempt_send(id, now);
    events.insert(events.end(), more.begin(), more.end());
    return {id, std::move(events)};
}

std::pair<std::uint64_t, ClientEvents> Client::send_text(
    const identity::AccountId& recipient, std::string_view text, std::int64_t now,
    const std::vector<message::AttachmentPointer>& attachments) {
    const std::int64_t sent = network_now(now);
    const std::string data = to_base64(
        message::compose_text_message(identity_, recipient.key, text, sent, random_, attachments));
    const std::int64_t ttl = config_.message_ttl_ms;
    Outgoing out{recipient, "store",
                 [=](std::int64_t) { return store_params(recipient, 0, data, sent, ttl); }};
    if (config_.sync_copies && recipient != identity_.session_id())
        out.text = Outgoing::Text{std::string(text), attachments, sent};
    return enqueue(std::move(out), now);
}

ClientEvents Client::send_sync_copy(const Outgoing::Text& text, std::int64_t now) {
    // The same content sealed to the sender's own account (the apps add the original
    // recipient as syncTarget; the size differs by those few bytes).
    const auto self = identity_.session_id();
    const std::string data = to_base64(message::compose_text_message(
        identity_, self.key, text.text, text.sent_ms, random_, text.attachments));
    const std::int64_t ttl = config_.message_ttl_ms;
    // Stored now, with the time the client now believes (corrected since the message was
    // stamped, if a 406 taught it better).
    const std::int64_t stored = network_now(now);
    Outgoing out{self, "store",
                 [=](std::int64_t) { return store_params(self, 0, data, stored, ttl); }};
    sync_hashes_.insert(storage::message_hash(self, 0, from_base64(data)));
    auto [id, events] = enqueue(std::move(out), now);
    sync_ids_.insert(id);
    return events;
}

void Client::settle_sync_copies(ClientEvents& events) {
    if (sync_ids_.empty())
        return;
    std::erase_if(events, [&](const ClientEvent& e) {
        if (const auto* stored = std::get_if<MessageStored>(&e);
            stored && sync_ids_.erase(stored->message_id)) {
            ++counters_.sync_stored;
            return true;
        }
        if (const auto* failed = std::get_if<MessageFailed>(&e);
            failed && sync_ids_.erase(failed->message_id)) {
            ++counters_.sync_failed;
            return true;
        }
        return false;
    });
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
    if (config_.swarm_lookup == ClientConfig::SwarmLookup::local && pool_.swarms()) {
        swarms_.set(account, local_swarm(account), random_);
        if (for_poll) {
            const auto members = swarms_.usable(account);
            return members ? poll_swarm(account, *members, now) : ClientEvents{};
        }
        return attempt_send(message_id, now);
    }
    const NodeInfo& any = pool_.nodes()[random_.uniform(pool_.size())];
    ++counters_.swarm_fetches;
    const json rpc{{"method", "get_swarm"}, {"params", {{"pubkey", account.to_hex()}}}};
    if (auto sent = request(Kind::get_swarm, any, rpc, account, message_id, for_poll, now))
        return *sent;
    ClientEvents events;
    fail_request(Kind::get_swarm, message_id, events);
    return events;
}

std::vector<NodeInfo> Client::local_swarm(const identity::AccountId& account) const {
    const auto& view = *pool_.swarms();
    const auto& members = view.members(view.swarm_of(account));
    std::vector<NodeInfo> all, listed;
    for (const auto& m : members) {
        all.push_back({m.ed25519, m.x25519, m.ipv4});
        if (pool_.contains(m.ed25519))
            listed.push_back(all.back());
    }
    // Struck-out members are left out unless too few would remain (libsession keeps 3).
    return listed.size() >= config_.min_swarm_cache ? listed : all;
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
    const std::int64_t stamp = network_now(now);
    json params = out.params(stamp);
    if (out.restamp && params.contains("timestamp"))
        params["timestamp"] = stamp;
    const json rpc{{"method", out.method}, {"params", std::move(params)}};
    if (auto sent = request(Kind::store, target, rpc, out.recipient, message_id, false, now))
        return *sent;
    ClientEvents events;
    fail_request(Kind::store, message_id, events);
    return events;
}

void Client::set_background(bool background, std::int64_t now) {
    if (background == background_)
        return;
    background_ = background;
    if (!background) {  // opening the app fetches everything at once
        next_poll_ms_ = std::min(next_poll_ms_, now);
        for (auto& [account, g] : groups_)
            g.next_poll_ms = std::min(g.next_poll_ms, now);
    }
}

json Client::retrieve_auth(const identity::AccountId& account, storage::Namespace ns,
                           std::int64_t now) const {
    json p{{"pubkey", account.to_hex()}, {"timestamp", now}};
    const std::string signed_string = storage::retrieve_signed_string(ns, now);
    if (const auto it = groups_.find(account); it != groups_.end()) {
        add_subaccount_auth(p, it->second.invite, signed_string);
    } else {
        p["pubkey_ed25519"] = to_hex(identity_.ed25519().public_key);
        p["signature"] = storage::sign_request(identity_, signed_string);
    }
    return p;
}

ClientEvents Client::poll_swarm(const identity::AccountId& account,
                                const std::vector<NodeInfo>& members, std::int64_t now) {
    const std::vector<NodeInfo> chosen = poll_targets_.choose(account, members, random_);
    ClientEvents events;
    for (const auto& node : chosen) {
        json requests = json::array();
        for (const auto ns : namespaces_of(account)) {
            json params = retrieve_auth(account, ns, network_now(now));
            if (ns != 0)
                params["namespace"] = ns;
            if (const auto& lh = poll_state_.last_hash(node.ed25519, account, ns); !lh.empty())
                params["last_hash"] = lh;
            requests.push_back({{"method", "retrieve"}, {"params", params}});
        }
        const json rpc{{"method", "batch"}, {"params", {{"requests", requests}}}};
        if (auto sent = request(Kind::retrieve, node, rpc, account, 0, true, now))
            events.insert(events.end(), sent->begin(), sent->end());
    }
    return events;
}

}  // namespace sessionsim::client
