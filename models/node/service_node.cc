#include "models/node/service_node.h"

#include <set>

#include "models/node/message_relay.h"
#include "models/storage/limits.h"
#include "models/storage/message_hash.h"

namespace sessionsim::node {

using nlohmann::json;

namespace {

/// The relaying node re-reads a downstream status through a table of known codes; anything
/// else becomes 500 (storage server http::from_code).
int known_status(int code) {
    switch (code) {
        case 200:
        case 400:
        case 401:
        case 403:
        case 404:
        case 406:
        case 410:
        case 413:
        case 421:
        case 429:
        case 500:
        case 502:
        case 503:
        case 504:
            return code;
        default:
            return 500;
    }
}

}  // namespace

NodeKeys NodeKeys::from_seed(const crypto::Ed25519Seed& seed) {
    NodeKeys k;
    k.ed25519 = crypto::ed25519_from_seed(seed);
    k.x25519 = crypto::x25519_from_secret(crypto::ed25519_sk_to_x25519(k.ed25519.secret_key));
    return k;
}

ServiceNode::ServiceNode(NodeKeys keys, crypto::RandomSource& random)
    : keys_(std::move(keys)), random_(random), handler_(store_, keys_.ed25519) {
    watch_store();
}

void ServiceNode::watch_store() {
    store_.set_on_created([this](const storage::StoredMessage& m) {
        if (monitored_.contains(m.owner))
            to_notify_.push_back(m);
        if (store_observer_)
            store_observer_(m);
    });
}

void ServiceNode::restore_database(storage::MessageStore database) {
    // The moved store still carries the callback of the node that filled it (now destroyed):
    // left in place, the next store would call into freed memory (found by the soak run).
    store_ = std::move(database);
    watch_store();
}

std::optional<std::string> ServiceNode::on_monitor(std::uint64_t subscriber,
                                                   std::string_view request, std::int64_t now) {
    push::MonitorRequest r;
    try {
        r = push::MonitorRequest::decode(request);
    } catch (const InvalidInput& e) {
        return std::string("invalid monitor request: ") + e.what();
    }
    if (auto error = monitors_.subscribe(subscriber, r, now))
        return error;
    monitored_.insert(r.account);
    return std::nullopt;
}

std::vector<std::pair<std::uint64_t, std::string>> ServiceNode::take_notifications(
    std::int64_t now) {
    std::vector<std::pair<std::uint64_t, std::string>> out;
    for (const auto& m : std::exchange(to_notify_, {})) {
        auto n = monitors_.notify(m, now);
        out.insert(out.end(), std::make_move_iterator(n.begin()), std::make_move_iterator(n.end()));
    }
    return out;
}

Actions ServiceNode::on_onion_request(std::uint64_t request_id, ByteView body, std::int64_t now) {
    auto parsed = onion::parse_entry_request(body);
    if (const auto* err = std::get_if<onion::OnionReply>(&parsed)) {
        return {Reply{request_id, false, err->status, err->body}};
    }
    return handle_layer(std::get<onion::LayerEnvelope>(parsed), {request_id, false}, now);
}

Actions ServiceNode::on_client_rpc(std::uint64_t request_id, std::string_view body,
                                   std::int64_t now) {
    if (!ready_)
        return {Reply{request_id, false, 503, "Snode not ready: " + to_hex(id())}};
    ++counters_.rpc_executed;
    return run_rpc(handler_.handle_body(body, now), {request_id, false}, std::nullopt, now);
}

Actions ServiceNode::handle_layer(const onion::LayerEnvelope& layer, Upstream upstream,
                                  std::int64_t now) {
    if (!ready_)
        return {Reply{upstream.request_id, upstream.from_peer, 503,
                      "Snode not ready: " + to_hex(id())}};
    ++counters_.onion_requests;
    auto action = onion::peel_layer(layer, keys_.x25519, random_);
    // The id the request travels under on the next link, if it goes on.
    const auto* forward = std::get_if<onion::ForwardToNode>(&action);
    const bool next_known = forward && handler_.swarms().find(forward->next);
    const bool goes_on = next_known || std::holds_alternative<onion::ForwardToServer>(action);
    const std::uint64_t out = goes_on ? next_id() : 0;
    if (hop_observer_)
        observe(layer, upstream, action, out);
    if (const auto* r = std::get_if<onion::OnionReply>(&action)) {
        return {Reply{upstream.request_id, upstream.from_peer, r->status, r->body}};
    }
    if (forward) {
        if (!next_known) {
            return {Reply{upstream.request_id, upstream.from_peer, 502,
                          "Next node not found: " + to_hex(forward->next)}};
        }
        ++counters_.onion_relayed;
        return relay({forward->next, PeerChannel::onion_request, out,
                      onion::encode_forwarded(forward->layer), true, kOnionRelayTimeoutMs},
                     upstream);
    }
    if (auto* exec = std::get_if<onion::ExecuteRequest>(&action)) {
        ++counters_.rpc_executed;
        if (auto spoiled = misbehave_as_destination(*exec, upstream, now))
            return std::move(*spoiled);
        const std::string body(exec->body.begin(), exec->body.end());
        return run_rpc(handler_.handle_body(body, now), upstream, std::move(*exec), now);
    }
    const auto& post = std::get<onion::ForwardToServer>(action);
    relays_[out] = upstream;
    return {PostToServer{out, post.url, post.payload, kServerRelayTimeoutMs}};
}

void ServiceNode::observe(const onion::LayerEnvelope& layer, const Upstream& upstream,
                          const onion::HopAction& action, std::uint64_t forwarded_as) const {
    HopView view;
    view.from_client = !upstream.from_peer;
    view.layer_bytes = layer.ciphertext.size();
    if (const auto* fwd = std::get_if<onion::ForwardToNode>(&action)) {
        view.outcome = HopView::Outcome::forwarded;
        view.next = fwd->next;
        view.forwarded_as = forwarded_as;
    } else if (const auto* exec = std::get_if<onion::ExecuteRequest>(&action)) {
        view.outcome = HopView::Outcome::executed;
        const json body = json::parse(exec->body.begin(), exec->body.end(), nullptr, false);
        // What the request names: method, account and namespace; a batch or sequence names
        // them in its subrequests (a poll is a batch of retrieves), written "batch:retrieve".
        const auto read = [&view](const json& request, bool top) {
            if (!request.is_object())
                return;
            if (request.contains("method") && request.at("method").is_string())
                view.method += (top ? "" : ":") + request.at("method").get<std::string>();
            const auto params = request.find("params");
            if (params == request.end() || !params->is_object())
                return;
            if (view.account.empty() && params->contains("pubkey") &&
                params->at("pubkey").is_string())
                view.account = params->at("pubkey").get<std::string>();
            if (!view.ns && params->contains("namespace") &&
                params->at("namespace").is_number_integer())
                view.ns = params->at("namespace").get<std::int64_t>();
        };
        read(body, true);
        if (body.is_object() && body.contains("params") && body.at("params").is_object() &&
            body.at("params").contains("requests") && body.at("params").at("requests").is_array()) {
            for (const auto& sub : body.at("params").at("requests")) {
                read(sub, false);
                if (view.method.size() > 200)
                    break;  // a long batch: the first subrequests say enough
            }
        }
    } else if (const auto* post = std::get_if<onion::ForwardToServer>(&action)) {
        view.outcome = HopView::Outcome::to_server;
        view.server = post->url;
    }
    hop_observer_(view);
}

Actions ServiceNode::run_rpc(storage::RpcOutcome outcome, Upstream upstream,
                             std::optional<onion::ExecuteRequest> onion, std::int64_t now) {
    if (const auto* response = std::get_if<storage::RpcResponse>(&outcome)) {
        return {reply_rpc(upstream, *response, onion)};
    }
    FanoutWait wait{
        upstream, std::move(onion), std::move(std::get<storage::Pending>(outcome)), {}, 0};
    wait.answers.resize(wait.pending.fanouts.size());
    const std::uint64_t wait_id = next_id();
    Actions actions;
    for (std::size_t i = 0; i < wait.pending.fanouts.size(); ++i) {
        const auto& f = wait.pending.fanouts[i];
        const std::string payload = json{{"method", f.method}, {"params", f.params}}.dump();
        for (const auto& peer : f.peers) {
            const std::uint64_t out = next_id();
            fanout_requests_[out] = {wait_id, i, peer};
            ++wait.outstanding;
            actions.push_back(SendToPeer{peer, PeerChannel::storage_cc, out, payload, true,
                                         storage::kPeerForwardTimeout});
        }
    }
    const bool done = wait.outstanding == 0;
    fanout_waits_.emplace(wait_id, std::move(wait));
    if (done)
        return finish_fanout(wait_id, now);
    return actions;
}

Action ServiceNode::reply_rpc(Upstream upstream, const storage::RpcResponse& response,
                              const std::optional<onion::ExecuteRequest>& onion) {
    if (!onion)
        return Reply{upstream.request_id, upstream.from_peer, response.status,
                     response.body_text()};
    const auto wrapped = response.body.is_string()
                             ? onion::wrap_reply(response.status, response.body.get<std::string>(),
                                                 onion->reply_key, onion->options, random_)
                             : onion::wrap_json_reply(response.status, response.body,
                                                      onion->reply_key, onion->options, random_);
    Reply reply{upstream.request_id, upstream.from_peer, wrapped.status, wrapped.body};
    maybe_corrupt(reply.body);
    return reply;
}

Actions ServiceNode::finish_fanout(std::uint64_t wait_id, std::int64_t now) {
    auto node = fanout_waits_.extract(wait_id);
    FanoutWait& wait = node.mapped();
    const auto response = handler_.complete(wait.pending, wait.answers, now);
    return {reply_rpc(wait.upstream, response, wait.onion)};
}

Actions ServiceNode::on_peer_request(const crypto::Ed25519PublicKey& from, PeerChannel channel,
                                     std::uint64_t request_id, std::string_view payload,
                                     std::int64_t now) {
    switch (channel) {
        case PeerChannel::onion_request: {
            auto decoded = onion::decode_forwarded(as_bytes(payload));
            if (const auto* err = std::get_if<onion::OnionReply>(&decoded)) {
                return {Reply{request_id, true, err->status, err->body}};
            }
            return handle_layer(std::get<onion::LayerEnvelope>(decoded), {request_id, true}, now);
        }
        case PeerChannel::storage_cc: {
            ++counters_.peer_copies;
            const json request = json::parse(payload, nullptr, false);
            if (request.is_discarded() || !request.is_object() || !request.contains("method") ||
                !request.at("method").is_string() || !request.contains("params")) {
                return {Reply{request_id, true, 400, "invalid body: expected json or bt_dict"}};
            }
            if (auto spoiled = misbehave_as_peer(request_id, request, now))
                return std::move(*spoiled);
            auto outcome = handler_.handle(request.at("method").get<std::string>(),
                                           request.at("params"), now, /*forwarded=*/true);
            const auto& response = std::get<storage::RpcResponse>(outcome);
            return {Reply{request_id, true, response.status, response.body_text()}};
        }
        case PeerChannel::data_relay:
            (void)from;
            accept_relayed(payload);
            return {};
    }
    return {};
}

std::size_t ServiceNode::accept_relayed(std::string_view batch) {
    std::vector<storage::StoredMessage> messages;
    try {
        messages = decode_message_batch(batch);
    } catch (const std::exception&) {
        ++counters_.relay_rejected;
        return 0;
    }
    std::size_t stored = 0;
    for (auto& m : messages) {
        // Never trust a peer's hash: it names the message everywhere (and dedups it).
        if (m.hash != storage::message_hash(m.owner, m.ns, m.data)) {
            ++counters_.relay_rejected;
            continue;
        }
        if (store_.find(m.hash))
            continue;  // insert or ignore
        store_.store(std::move(m));
        ++stored;
    }
    counters_.messages_received += stored;
    return stored;
}

Actions ServiceNode::on_peer_reply(std::uint64_t request_id, const std::optional<WireReply>& reply,
                                   std::int64_t now) {
    if (auto relay = relays_.extract(request_id)) {
        const Upstream up = relay.mapped();
        if (!reply)
            return {Reply{up.request_id, up.from_peer, 504, "Request time out"}};
        Reply back{up.request_id, up.from_peer, known_status(reply->status), reply->body};
        maybe_corrupt(back.body);
        return {std::move(back)};
    }
    auto request = fanout_requests_.extract(request_id);
    if (!request)
        return {};  // late or unknown reply
    const FanoutRequest& fr = request.mapped();
    auto wait = fanout_waits_.find(fr.wait_id);
    if (wait == fanout_waits_.end())
        return {};
    storage::PeerAnswer answer;
    if (reply) {
        json body = json::parse(reply->body, nullptr, false);
        answer =
            storage::RpcResponse{reply->status, body.is_discarded() ? json(reply->body) : body};
    }
    wait->second.answers[fr.fanout][fr.peer] = answer;
    if (--wait->second.outstanding == 0)
        return finish_fanout(fr.wait_id, now);
    return {};
}

Actions ServiceNode::on_server_reply(std::uint64_t request_id,
                                     const std::optional<WireReply>& reply, std::int64_t) {
    auto relay = relays_.extract(request_id);
    if (!relay)
        return {};
    const Upstream up = relay.mapped();
    if (!reply)
        return {Reply{up.request_id, up.from_peer, 504, "Operation timed out"}};
    return {Reply{up.request_id, up.from_peer, reply->status, reply->body}};
}

Actions ServiceNode::push_messages(const std::vector<const storage::StoredMessage*>& messages,
                                   const std::vector<storage::NodeContact>& to) {
    Actions actions;
    if (messages.empty())
        return actions;
    const std::string batch = encode_message_batch(messages);
    for (const auto& member : to) {
        if (member.ed25519 == id())
            continue;
        counters_.messages_pushed += messages.size();
        actions.push_back(
            SendToPeer{member.ed25519, PeerChannel::data_relay, next_id(), batch, false, 0});
    }
    return actions;
}

Actions ServiceNode::set_swarms(std::shared_ptr<const storage::SwarmView> new_view) {
    const auto old_view = handler_.swarms_ptr();  // shared, not copied
    const storage::SwarmView& old = *old_view;
    const storage::SwarmView& view = *new_view;
    const bool had_view = has_view_;
    handler_.set_swarms(std::move(new_view));
    has_view_ = true;
    const auto ours = view.swarm_of_node(id());
    if (!had_view || !ours)
        return {};

    Actions actions;
    const auto append = [&](Actions more) {
        actions.insert(actions.end(), std::make_move_iterator(more.begin()),
                       std::make_move_iterator(more.end()));
    };
    const auto all = store_.all();
    const auto old_ours = old.swarm_of_node(id());
    const std::set<swarm::SwarmId> old_ids(old.ids().begin(), old.ids().end());

    // New members of our (unchanged) swarm get everything we hold.
    if (old_ours == ours) {
        std::vector<storage::NodeContact> fresh;
        for (const auto& m : view.members(*ours)) {
            if (old.swarm_of_node(m.ed25519) != ours)
                fresh.push_back(m);
        }
        append(push_messages(all, fresh));
    }
    // New swarms get the messages that now map to them.
    std::map<swarm::SwarmId, std::vector<const storage::StoredMessage*>> to_new;
    const bool dissolved = old_ours && !old_ids.count(*old_ours);
    std::map<swarm::SwarmId, std::vector<const storage::StoredMessage*>> rehome;
    for (const auto* m : all) {
        const auto owner = view.swarm_of(m->owner);
        if (!old_ids.count(owner))
            to_new[owner].push_back(m);
        if (dissolved && owner != *ours && old_ids.count(owner))
            rehome[owner].push_back(m);
    }
    for (const auto& [swarm_id, messages] : to_new)
        append(push_messages(messages, view.members(swarm_id)));
    // Our old swarm dissolved: every message goes to whichever swarm owns it now.
    for (const auto& [swarm_id, messages] : rehome)
        append(push_messages(messages, view.members(swarm_id)));
    return actions;
}

}  // namespace sessionsim::node
