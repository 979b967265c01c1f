#include "models/client/client.h"

#include <algorithm>

#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/group/group_text.h"
#include "models/onion/builder.h"
#include "models/onion/response.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_signatures.h"
#include "models/storage/rpc_params.h"

namespace sessionsim::client {

using nlohmann::json;

namespace {

const std::vector<storage::Namespace> kGroupPollNamespaces{storage::ns::kGroupKeys,
                                                           storage::ns::kGroupMessages};
/// CONFIG_MESSAGE TTL: keys messages live as long as config messages.
constexpr std::int64_t kConfigTtlMs = 30LL * 24 * 3600 * 1000;

json store_params(const identity::AccountId& account, storage::Namespace ns,
                  const std::string& data_b64, std::int64_t timestamp, std::int64_t ttl) {
    json p{
        {"pubkey", account.to_hex()}, {"timestamp", timestamp}, {"ttl", ttl}, {"data", data_b64}};
    if (ns != 0)
        p["namespace"] = ns;
    return p;
}

std::string signature_by(const crypto::Ed25519SecretKey& key, std::string_view signed_string) {
    return to_base64(crypto::ed25519_sign(key, as_bytes(signed_string)));
}

/// Subaccount auth: the token, the admin's signature over it, the member key's signature.
void add_subaccount_auth(json& p, const GroupInvite& invite, std::string_view signed_string) {
    p["subaccount"] = to_base64(invite.token.token.bytes);
    p["subaccount_sig"] = to_base64(invite.token.signature);
    p["signature"] = signature_by(invite.member_key.secret_key, signed_string);
}

}  // namespace

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

void Client::join_group(const GroupInvite& invite, std::int64_t now) {
    const identity::AccountId account{static_cast<std::uint8_t>(identity::AccountPrefix::group),
                                      invite.group_key};
    groups_.insert_or_assign(
        account,
        GroupMembership{invite, group::GroupKeyring(invite.group_key, identity_), now, now});
}

const GroupMembership* Client::group(const identity::AccountId& account) const {
    const auto it = groups_.find(account);
    return it == groups_.end() ? nullptr : &it->second;
}

std::pair<std::uint64_t, ClientEvents> Client::send_group_text(const identity::AccountId& group,
                                                               std::string_view text,
                                                               std::int64_t now) {
    const auto it = groups_.find(group);
    if (it == groups_.end())
        throw InvalidInput("not a member of group " + group.to_hex());
    const auto keys = it->second.keyring.keys();
    if (keys.empty())
        throw InvalidInput("no key of group " + group.to_hex() + " is known yet");
    const std::string data =
        to_base64(group::compose_group_text(identity_, group, keys.front(), text, now, random_));
    const std::int64_t ttl = config_.message_ttl_ms;
    const GroupInvite invite = it->second.invite;
    it->second.last_activity_ms = now;
    return enqueue({group, "store",
                    [=](std::int64_t at) {
                        const auto ns = storage::ns::kGroupMessages;
                        json p = store_params(group, ns, data, now, ttl);
                        p["sig_timestamp"] = at;
                        add_subaccount_auth(p, invite, storage::store_signed_string(ns, at));
                        return p;
                    }},
                   now);
}

std::pair<std::uint64_t, ClientEvents> Client::push_group_keys(const group::GroupAdmin& admin,
                                                               const group::KeysMessage& keys,
                                                               std::int64_t now) {
    const auto account = admin.account();
    const auto signer = admin.signing_keys();
    const std::string data = to_base64(keys.data);
    return enqueue({account, "store",
                    [=](std::int64_t at) {
                        const auto ns = storage::ns::kGroupKeys;
                        json p = store_params(account, ns, data, now, kConfigTtlMs);
                        p["sig_timestamp"] = at;
                        p["signature"] =
                            signature_by(signer.secret_key, storage::store_signed_string(ns, at));
                        return p;
                    }},
                   now);
}

std::pair<std::uint64_t, ClientEvents> Client::revoke_group_member(
    const group::GroupAdmin& admin, const storage::SubaccountToken& token, std::int64_t now) {
    const auto account = admin.account();
    const json p{{"pubkey", account.to_hex()},
                 {"revoke", to_base64(token.bytes)},
                 {"signature", admin.revoke_signature(token)}};
    return enqueue({account, "revoke_subaccount", [p](std::int64_t) { return p; }}, now);
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

const std::vector<storage::Namespace>& Client::namespaces_of(
    const identity::AccountId& account) const {
    return groups_.contains(account) ? kGroupPollNamespaces : config_.poll_namespaces;
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

void Client::handle_group_message(GroupMembership& g, storage::Namespace ns,
                                  const std::string& hash, const json& m, std::int64_t now,
                                  ClientEvents& events) {
    try {
        const Bytes data = from_base64(m.at("data").get<std::string>());
        if (ns == storage::ns::kGroupKeys) {
            g.keyring.load(data);
            return;
        }
        auto text = group::open_group_text(data, g.keyring.keys());
        const auto sent = static_cast<std::int64_t>(text.timestamp_ms);
        g.last_activity_ms = std::max(g.last_activity_ms.value_or(sent), sent);
        if (text.sender == identity_.session_id())
            return;  // our own message, seen in the group's swarm
        const identity::AccountId group{static_cast<std::uint8_t>(identity::AccountPrefix::group),
                                        g.invite.group_key};
        events.push_back(MessageReceived{std::move(text), hash, now, group});
    } catch (const std::exception&) {
        ++counters_.undecryptable;
    }
}

}  // namespace sessionsim::client
