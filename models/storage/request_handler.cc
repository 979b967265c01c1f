#include "models/storage/request_handler.h"

#include <algorithm>

#include "models/common/base64.h"
#include "models/storage/limits.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_signatures.h"
#include "models/storage/rpc_params.h"

namespace sessionsim::storage {

using nlohmann::json;

struct RequestHandler::Call {
    std::string method;
    const json& params;
    std::int64_t now;
    bool forwarded;
};

namespace {

RpcResponse error(int status, std::string text) {
    return RpcResponse{status, json(std::move(text))};
}

bool is_recursive(const std::string& method) {
    return method == "store" || method == "delete" || method == "delete_all" ||
           method == "expire" || method == "revoke_subaccount";
}

/// Peers' own entries travel bt-encoded: booleans come back as 1.
json as_peer_entry(const json& own) {
    json out = own;
    for (auto& [k, v] : out.items()) {
        if (v.is_boolean())
            v = v.get<bool>() ? 1 : 0;
    }
    out.erase("t");
    return out;
}

}  // namespace

RequestHandler::RequestHandler(MessageStore& store, crypto::Ed25519KeyPair node,
                               std::array<int, 2> hardfork)
    : store_(store), node_(std::move(node)), hardfork_(hardfork) {}

void RequestHandler::set_swarms(std::shared_ptr<const SwarmView> view) {
    swarms_ = std::move(view);
}

RpcOutcome RequestHandler::handle_body(std::string_view body, std::int64_t now_ms) {
    const json request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        return error(400, "invalid json");
    const auto method = request.find("method");
    if (method == request.end() || !method->is_string()) {
        return error(400, "invalid json: no `method` field");
    }
    const auto params = request.find("params");
    if (params == request.end() || !params->is_object()) {
        return error(400, "invalid json: no `params` field");
    }
    return handle(method->get<std::string>(), *params, now_ms, false);
}

RpcOutcome RequestHandler::handle(const std::string& method, const json& params,
                                  std::int64_t now_ms, bool forwarded) {
    if (method == "batch" || method == "sequence") {
        return run_batch(params, now_ms, method == "sequence");
    }
    try {
        return dispatch(Call{method, params, now_ms, forwarded});
    } catch (const ParseError& e) {
        return error(400, std::string("invalid request: ") + e.what());
    } catch (const std::exception&) {
        return error(500, "request failed");
    }
}

RpcOutcome RequestHandler::dispatch(const Call& call) {
    if (call.forwarded && !is_recursive(call.method)) {
        return error(400, "invalid request: received invalid forwarded non-forwardable request");
    }
    if (call.method == "store")
        return store(call);
    if (call.method == "retrieve")
        return retrieve(call);
    if (call.method == "delete")
        return delete_msgs(call);
    if (call.method == "delete_all")
        return delete_all(call);
    if (call.method == "expire")
        return expire(call);
    if (call.method == "revoke_subaccount")
        return revoke_subaccount(call);
    if (call.method == "get_swarm" || call.method == "get_snodes_for_pubkey")
        return get_swarm(call);
    if (call.method == "info")
        return info(call);
    return error(400, "no method " + call.method);
}

void RequestHandler::add_time_fields(json& body, std::int64_t now_ms) const {
    body["t"] = now_ms;
    body["hf"] = {hardfork_[0], hardfork_[1]};
}

bool RequestHandler::authorized(const identity::AccountId& account,
                                const std::optional<crypto::Ed25519PublicKey>& ed_key,
                                const std::optional<SignedSubaccount>& subaccount,
                                const crypto::Ed25519Signature& signature,
                                std::string_view signed_string, SubaccountAccess needed,
                                std::optional<Namespace> ns) const {
    if (!subaccount)
        return verify_request_signature(account, ed_key, signature, signed_string);
    if (!subaccount_grants(account, *subaccount, needed))
        return false;
    if (store_.subaccount_revoked(account, subaccount->token) && !(ns && is_unrevocable(*ns)))
        return false;
    return crypto::ed25519_verify(subaccount->token.key(), signature, as_bytes(signed_string));
}

std::string RequestHandler::sign(std::string_view message) const {
    return to_base64(crypto::ed25519_sign(node_.secret_key, as_bytes(message)));
}

std::optional<RpcResponse> RequestHandler::wrong_swarm(const identity::AccountId& account,
                                                       std::int64_t now_ms) const {
    if (swarms_->empty())
        return error(500, "No swarms known!");
    const auto owner = swarms_->swarm_of(account);
    if (swarms_->swarm_of_node(node_.public_key) == owner)
        return std::nullopt;
    json body = swarms_->swarm_json(owner);
    add_time_fields(body, now_ms);
    return RpcResponse{421, body};
}

RpcOutcome RequestHandler::recursive_result(const Call& call, json own, json extra,
                                            bool required) const {
    if (call.forwarded)
        return RpcResponse{200, own};
    Fanout f{.method = call.method,
             .params = call.params,
             .peers = {},
             .self = node_.public_key,
             .own = std::move(own),
             .extra = std::move(extra),
             .required = required};
    if (const auto swarm = swarms_->swarm_of_node(node_.public_key)) {
        for (const auto& m : swarms_->members(*swarm)) {
            if (m.ed25519 != node_.public_key)
                f.peers.push_back(m.ed25519);
        }
    }
    Pending p;
    p.slots.emplace_back();
    p.fanout_slot.push_back(0);
    p.fanouts.push_back(std::move(f));
    return p;
}

RpcOutcome RequestHandler::store(const Call& call) {
    const RpcParams p(call.params);
    const auto timestamp = p.stringified_int("timestamp");
    if (!timestamp)
        RpcParams::missing("timestamp");
    const auto ttl = p.stringified_int("ttl");
    const auto expiry_given = p.timestamp("expiry");
    if (ttl && expiry_given)
        throw ParseError("Cannot specify both 'expiry' and 'ttl'");
    if (!ttl && !expiry_given)
        throw ParseError("Required field 'expiry' or 'ttl' missing");
    const std::int64_t expiry = expiry_given ? *expiry_given : *timestamp + *ttl;
    const auto account = p.pubkey(true);
    const Namespace ns = p.namespace_or_default();
    const auto signature = p.signature();
    const auto ed_key = p.pubkey_ed25519(account);
    const auto sig_timestamp = p.timestamp("sig_timestamp");
    const auto subaccount = p.subaccount();
    const auto data_b64 = p.string("data");
    if (!data_b64)
        RpcParams::missing("data");
    if (data_b64->size() > kMaxMessageBody / 3 * 4) {
        throw ParseError("Message body exceeds maximum allowed length of 76800 bytes");
    }
    Bytes data;
    try {
        data = from_base64(*data_b64);
    } catch (const InvalidInput&) {
        throw ParseError("Invalid 'data' value: not base64 encoded");
    }

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    const std::int64_t ttl_ms = expiry - *timestamp;
    const std::int64_t max_ttl = is_public_inbox(ns) ? kTtlMaximumPublic : kTtlMaximumPrivate;
    if (ttl_ms < kTtlMinimum || ttl_ms > max_ttl)
        return error(403, "Provided expiry/TTL is not valid.");
    if (*timestamp > call.now + kStoreTolerance || expiry < call.now - kStoreTolerance) {
        return error(406, "Timestamp error: check your clock");
    }
    if (!is_public_inbox(ns)) {
        if (!signature)
            return error(401,
                         "store: signature required to store to namespace " + std::to_string(ns));
        const std::int64_t sig_ts = sig_timestamp.value_or(*timestamp);
        if (std::abs(sig_ts - call.now) > kSignatureTolerance) {
            return error(406, "store signature timestamp too far from current time");
        }
        if (!authorized(account, ed_key, subaccount, *signature, store_signed_string(ns, sig_ts),
                        SubaccountAccess::write, ns)) {
            return error(401, "store signature verification failed");
        }
    }

    std::string hash = message_hash(account, ns, data);
    const auto outcome =
        store_.store(StoredMessage{account, ns, hash, *timestamp, expiry, std::move(data)});
    json own{{"hash", hash}, {"signature", sign(hash)}, {"expiry", outcome.expiry_ms}};
    if (outcome.result != StoreResult::created)
        own["already"] = true;
    if (!call.forwarded)
        own["t"] = call.now;
    return recursive_result(call, std::move(own), json{{"hash", hash}});
}

RpcOutcome RequestHandler::retrieve(const Call& call) {
    const RpcParams p(call.params);
    const auto account = p.pubkey(true);
    const Namespace ns = p.namespace_or_default();
    const auto* primary = p.get("last_hash");
    const auto* alias = p.get("lastHash");
    if (primary && alias)
        throw ParseError("Cannot specify both 'last_hash' and 'lastHash'");
    std::string last_hash;
    if (const auto* lh = primary ? primary : alias) {
        if (!lh->is_string())
            RpcParams::invalid("last_hash", "string");
        last_hash = lh->get<std::string>();
        if (!last_hash.empty()) {
            if (last_hash.size() != kMessageHashLength) {
                throw ParseError("Invalid last_hash: expected base64 (43 chars)");
            }
            if (!is_base64(last_hash))
                throw ParseError("Invalid last_hash: not base64");
        }
    }
    const auto max_count = p.integer("max_count");
    const auto max_size = p.integer("max_size");
    const auto ed_key = p.has("pubkey_ed25519") ? p.pubkey_ed25519(account) : std::nullopt;
    const auto timestamp = p.timestamp("timestamp");
    const auto subaccount = p.subaccount();
    const bool auth_fields = p.has("pubkey_ed25519") || p.has("signature") || p.has("timestamp") ||
                             subaccount.has_value() ||
                             (p.has("namespace") && !retrieve_needs_no_auth(ns));
    const auto signature = p.signature();
    if (auth_fields && !signature)
        RpcParams::missing("signature");

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    if (!retrieve_needs_no_auth(ns) && !signature) {
        return error(401, "retrieve: request signature required");
    }
    if (signature) {
        if (!timestamp || std::abs(*timestamp - call.now) > kSignatureTolerance) {
            return error(406, "retrieve timestamp too far from current time");
        }
        if (!authorized(account, ed_key, subaccount, *signature,
                        retrieve_signed_string(ns, *timestamp), SubaccountAccess::read, ns)) {
            return error(401, "retrieve signature verification failed");
        }
    }

    const std::int64_t count = max_count.value_or(0);
    std::int64_t size = max_size.value_or(0);
    if (count == 0 && size == 0)
        size = -5;
    if (size < 0)
        size = kRetrieveMaxSize / -size;
    if (size == 0 || size > kRetrieveMaxSize)
        size = kRetrieveMaxSize;
    const auto page = store_.retrieve(account, ns, last_hash,
                                      count > 0 ? static_cast<std::size_t>(count) : SIZE_MAX, size);
    json messages = json::array();
    for (const auto* m : page.messages) {
        messages.push_back({{"hash", m->hash},
                            {"timestamp", m->timestamp_ms},
                            {"expiration", m->expiry_ms},
                            {"data", to_base64(m->data)}});
    }
    json body{{"messages", messages}, {"more", page.more}};
    add_time_fields(body, call.now);
    return RpcResponse{200, body};
}

RpcOutcome RequestHandler::delete_msgs(const Call& call) {
    const RpcParams p(call.params);
    const auto account = p.pubkey(false);
    const auto signature = p.required_signature();
    const auto hashes = p.message_hashes();
    const bool required = p.boolean("required").value_or(false);
    const auto ed_key = p.pubkey_ed25519(account);
    const auto subaccount = p.subaccount();

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    if (!authorized(account, ed_key, subaccount, signature, delete_signed_string(hashes),
                    SubaccountAccess::remove, std::nullopt)) {
        return error(401, "delete_msgs signature verification failed");
    }
    const auto deleted = store_.delete_hashes(account, hashes);
    std::string signed_reply = account.to_hex();
    for (const auto& h : hashes)
        signed_reply += h;
    for (const auto& h : deleted)
        signed_reply += h;
    json own{{"deleted", deleted}, {"signature", sign(signed_reply)}};
    return recursive_result(call, std::move(own), json::object(), required);
}

RpcOutcome RequestHandler::delete_all(const Call& call) {
    const RpcParams p(call.params);
    const auto account = p.pubkey(false);
    const auto signature = p.required_signature();
    const std::int64_t timestamp = p.required_timestamp("timestamp");
    std::optional<Namespace> ns = Namespace{0};
    if (const auto* v = p.get("namespace")) {
        if (v->is_string()) {
            if (v->get<std::string>() != "all")
                RpcParams::invalid("namespace", "integer or \"all\"");
            ns = std::nullopt;
        } else {
            ns = p.namespace_or_default();
        }
    }
    const auto ed_key = p.pubkey_ed25519(account);

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    const std::int64_t tolerance =
        call.forwarded ? kSignatureToleranceForwarded : kSignatureTolerance;
    if (std::abs(timestamp - call.now) > tolerance) {
        return error(406, "delete_all timestamp too far from current time");
    }
    if (!verify_request_signature(account, ed_key, signature,
                                  delete_all_signed_string(ns, timestamp))) {
        return error(401, "delete_all signature verification failed");
    }
    const auto deleted = store_.delete_all(account, ns);
    std::string signed_reply = account.to_hex() + std::to_string(timestamp);
    json list = json::array();
    json by_ns = json::object();
    for (const auto& [n, h] : deleted) {
        signed_reply += h;
        list.push_back(h);
        by_ns[std::to_string(n)].push_back(h);
    }
    json own{{"deleted", ns ? list : by_ns}, {"signature", sign(signed_reply)}};
    return recursive_result(call, std::move(own), json::object());
}

RpcOutcome RequestHandler::expire(const Call& call) {
    const RpcParams p(call.params);
    const auto account = p.pubkey(false);
    const auto signature = p.required_signature();
    const auto hashes = p.message_hashes();
    const std::int64_t expiry = p.required_timestamp("expiry");
    const bool shorten = p.boolean("shorten").value_or(false);
    const bool extend = p.boolean("extend").value_or(false);
    if (shorten && extend)
        throw ParseError("cannot specify both 'shorten' and 'extend'");
    const auto ed_key = p.pubkey_ed25519(account);
    const auto subaccount = p.subaccount();

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    if (expiry < call.now - kMinute)
        return error(401, "expire: timestamp should be >= current time");
    std::string signed_request = std::string("expire") +
                                 (shorten  ? "shorten"
                                  : extend ? "extend"
                                           : "") +
                                 std::to_string(expiry);
    for (const auto& h : hashes)
        signed_request += h;
    // A subaccount may only extend expiries unless it can delete.
    const bool can_shorten = !subaccount || subaccount->token.allows(SubaccountAccess::remove);
    if (!authorized(account, ed_key, subaccount, signature, signed_request, SubaccountAccess::write,
                    std::nullopt) ||
        (shorten && !can_shorten)) {
        return error(401, "expire: signature verification failed");
    }
    const std::int64_t effective = std::min(expiry, call.now + kTtlMaximumPrivate);
    const auto update = store_.update_expiry(account, hashes, effective,
                                             shorten                  ? ExpiryMode::shorten_only
                                             : extend || !can_shorten ? ExpiryMode::extend_only
                                                                      : ExpiryMode::set);
    std::string signed_reply = account.to_hex() + std::to_string(effective);
    for (const auto& h : hashes)
        signed_reply += h;
    for (const auto& h : update.updated)
        signed_reply += h;
    for (const auto& [h, e] : update.unchanged)
        signed_reply += h + std::to_string(e);
    json own{{"updated", update.updated}, {"expiry", effective}, {"signature", sign(signed_reply)}};
    if (shorten || extend)
        own["unchanged"] = update.unchanged;
    return recursive_result(call, std::move(own), json::object());
}

RpcOutcome RequestHandler::revoke_subaccount(const Call& call) {
    const RpcParams p(call.params);
    const auto account = p.pubkey(false);
    const auto signature = p.required_signature();
    const auto revoke = p.string("revoke");
    if (!revoke)
        RpcParams::missing("revoke");
    SubaccountToken token;
    try {
        const Bytes raw = from_base64(*revoke);
        if (raw.size() != kSubaccountTokenSize)
            throw InvalidInput("size");
        std::copy(raw.begin(), raw.end(), token.bytes.begin());
    } catch (const InvalidInput&) {
        throw ParseError("invalid revoke: expected a base64 36-byte subaccount token");
    }

    if (auto misdirected = wrong_swarm(account, call.now))
        return *misdirected;
    // Only the account owner may revoke: "revoke_subaccount" || token bytes.
    std::string signed_request = "revoke_subaccount";
    signed_request.append(token.bytes.begin(), token.bytes.end());
    if (!verify_request_signature(account, std::nullopt, signature, signed_request)) {
        return error(401, "revoke_subaccount: signature verification failed");
    }
    store_.revoke_subaccount(account, token);
    std::string signed_reply = account.to_hex();
    signed_reply.append(token.bytes.begin(), token.bytes.end());
    json own{{"signature", sign(signed_reply)}};
    return recursive_result(call, std::move(own), json::object());
}

RpcOutcome RequestHandler::get_swarm(const Call& call) {
    const RpcParams p(call.params);
    identity::AccountId account;
    try {
        account = p.pubkey(true);
    } catch (const ParseError&) {
        throw ParseError("Pubkey must be 66 hex digits/33 bytes long");
    }
    if (swarms_->empty())
        return error(500, "No swarms known!");
    json body = swarms_->swarm_json(swarms_->swarm_of(account));
    add_time_fields(body, call.now);
    return RpcResponse{200, body};
}

RpcOutcome RequestHandler::info(const Call& call) {
    json body{{"version", {2, 8, 0}}, {"timestamp", call.now}};
    add_time_fields(body, call.now);
    return RpcResponse{200, body};
}

RpcOutcome RequestHandler::run_batch(const json& params, std::int64_t now_ms, bool sequence) {
    const auto requests = params.find("requests");
    if (requests == params.end() || !requests->is_array() || requests->empty()) {
        return error(400, "invalid request: Invalid batch request: no valid \"requests\" field");
    }
    if (requests->size() > kBatchRequestMax) {
        return error(400, "invalid request: Invalid batch request: subrequest limit exceeded");
    }
    for (const auto& r : *requests) {
        if (!r.is_object())
            return error(400, "invalid request: Invalid batch request: requests must be objects");
        const auto m = r.find("method");
        const auto ps = r.find("params");
        if (m == r.end() || !m->is_string() || ps == r.end() || !ps->is_object()) {
            return error(
                400,
                "invalid request: Invalid batch request: subrequests must have method/params keys");
        }
        const std::string name = m->get<std::string>();
        if (name == "batch" || name == "sequence" || name == "ifelse") {
            return error(400,
                         "invalid request: Invalid batch subrequest: subrequests may not contain "
                         "meta-requests");
        }
    }
    Pending pending;
    pending.batch = true;
    for (const auto& r : *requests) {
        RpcOutcome sub = handle(r.at("method").get<std::string>(), r.at("params"), now_ms, false);
        if (auto* response = std::get_if<RpcResponse>(&sub)) {
            // A malformed subrequest fails the whole batch, as the real parser rejects it.
            if (response->status == 400 && response->body.is_string() &&
                response->body.get<std::string>().rfind("invalid request: ", 0) == 0) {
                return *response;
            }
            const bool failed = response->status < 200 || response->status > 299;
            pending.slots.emplace_back(std::move(*response));
            if (sequence && failed)
                break;
        } else {
            auto& inner = std::get<Pending>(sub);
            pending.fanout_slot.push_back(pending.slots.size());
            pending.slots.emplace_back();
            pending.fanouts.push_back(std::move(inner.fanouts.front()));
        }
    }
    if (pending.fanouts.empty()) {
        return complete(pending, {}, now_ms);
    }
    return pending;
}

RpcResponse RequestHandler::complete(
    const Pending& pending,
    const std::vector<std::map<crypto::Ed25519PublicKey, PeerAnswer>>& answers,
    std::int64_t now_ms) const {
    std::vector<std::optional<RpcResponse>> slots = pending.slots;
    for (std::size_t i = 0; i < pending.fanouts.size(); ++i) {
        const Fanout& f = pending.fanouts[i];
        json swarm = json::object();
        bool any_ok = true;  // our own entry succeeded, or we would not be here
        bool any_deleted = f.own.contains("deleted") && !f.own.at("deleted").empty();
        swarm[to_hex(f.self)] = f.own;
        const auto& peer_answers =
            i < answers.size() ? answers[i] : std::map<crypto::Ed25519PublicKey, PeerAnswer>{};
        for (const auto& peer : f.peers) {
            const auto it = peer_answers.find(peer);
            json entry;
            if (it == peer_answers.end() || !it->second) {
                entry = {{"failed", true}, {"timeout", true}};
            } else if (it->second->status != 200) {
                entry = {{"failed", true},
                         {"code", std::to_string(it->second->status)},
                         {"reason", it->second->body_text()}};
            } else if (!it->second->body.is_object()) {
                entry = {{"failed", true}, {"bad_peer_response", true}};
            } else {
                entry = as_peer_entry(it->second->body);
                if (entry.contains("deleted") && !entry.at("deleted").empty())
                    any_deleted = true;
            }
            swarm[to_hex(peer)] = entry;
        }
        json body = f.extra;
        body["swarm"] = swarm;
        add_time_fields(body, now_ms);
        int status = any_ok ? 200 : 500;
        if (f.required && !any_deleted)
            status = 404;
        slots[pending.fanout_slot[i]] = RpcResponse{status, body};
    }
    if (!pending.batch)
        return *slots.front();
    json results = json::array();
    for (const auto& s : slots) {
        if (s)
            results.push_back({{"code", s->status}, {"body", s->body}});
    }
    return RpcResponse{200, json{{"results", results}}};
}

}  // namespace sessionsim::storage
