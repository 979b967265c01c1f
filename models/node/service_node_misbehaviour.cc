// A hostile service node's acts (misbehaviour.h), kept apart from the honest node's logic: each
// hook returns nullopt (or leaves its argument alone) unless the node's plan calls for it.
#include "models/common/base64.h"
#include "models/node/service_node.h"
#include "models/storage/message_hash.h"

namespace sessionsim::node {

using nlohmann::json;

namespace {

std::string method_of(const json& request) {
    if (!request.is_object() || !request.contains("method") || !request.at("method").is_string())
        return {};
    return request.at("method").get<std::string>();
}

}  // namespace

bool ServiceNode::spoils(Misbehaviour kind) {
    if (misbehaviour_.kind != kind || kind == Misbehaviour::none)
        return false;
    return misbehaviour_.probability >= 1 || random_.unit() < misbehaviour_.probability;
}

std::optional<Reply> ServiceNode::maybe_drop(std::uint64_t request_id, bool from_peer) {
    if (!spoils(Misbehaviour::drop))
        return std::nullopt;
    ++misdeeds_.dropped;
    return Reply{request_id, from_peer, 0, {}, /*silent=*/true};
}

void ServiceNode::maybe_corrupt(std::string& bytes) {
    if (bytes.empty() || !spoils(Misbehaviour::corrupt))
        return;
    const std::size_t at = random_.uniform(bytes.size());
    bytes[at] = static_cast<char>(bytes[at] ^ (1 + random_.uniform(255)));
    ++misdeeds_.corrupted;
}

Actions ServiceNode::relay(SendToPeer send, const Upstream& upstream) {
    if (auto dropped = maybe_drop(upstream.request_id, upstream.from_peer))
        return {std::move(*dropped)};
    relays_[send.request_id] = upstream;
    maybe_corrupt(send.payload);
    if (spoils(Misbehaviour::delay)) {
        send.delay_ms = misbehaviour_.delay_ms;
        ++misdeeds_.delayed;
    }
    Actions actions;
    if (spoils(Misbehaviour::replay)) {
        // The copy travels under an id of its own that nobody waits for: the next node handles
        // the layer twice, its second answer is dropped as unknown.
        SendToPeer copy = send;
        copy.request_id = next_id();
        copy.expects_reply = false;
        copy.delay_ms = misbehaviour_.delay_ms;
        actions.push_back(std::move(send));
        actions.push_back(std::move(copy));
        ++misdeeds_.replayed;
        return actions;
    }
    actions.push_back(std::move(send));  // honest relays: moved, never copied
    return actions;
}

std::optional<json> ServiceNode::forged_store_result(const json& params, std::int64_t now) const {
    try {
        const auto owner = identity::AccountId::parse(params.at("pubkey").get<std::string>());
        const auto ns = params.contains("namespace")
                            ? params.at("namespace").get<storage::Namespace>()
                            : storage::Namespace{0};
        const Bytes data = from_base64(params.at("data").get<std::string>());
        const auto ttl = params.at("ttl").get<std::int64_t>();
        const std::string hash = storage::message_hash(owner, ns, data);
        return json{{"hash", hash}, {"signature", handler_.sign(hash)}, {"expiry", now + ttl}};
    } catch (const std::exception&) {
        return std::nullopt;  // not a message it could pretend to hold: answered honestly
    }
}

std::optional<Actions> ServiceNode::misbehave_as_destination(const onion::ExecuteRequest& request,
                                                             const Upstream& upstream,
                                                             std::int64_t now) {
    const auto wrap = [&](int status, const json& body) -> Actions {
        const auto wrapped =
            onion::wrap_json_reply(status, body, request.reply_key, request.options, random_);
        return {Reply{upstream.request_id, upstream.from_peer, wrapped.status, wrapped.body}};
    };
    switch (misbehaviour_.kind) {
        case Misbehaviour::drop:
            if (auto dropped = maybe_drop(upstream.request_id, upstream.from_peer))
                return Actions{std::move(*dropped)};
            return std::nullopt;
        case Misbehaviour::malformed: {
            if (!spoils(Misbehaviour::malformed))
                return std::nullopt;
            ++misdeeds_.malformed;
            // Every field a client reads, present with the wrong type.
            return wrap(200, {{"hash", 7},
                              {"swarm", json::array({1, 2})},
                              {"snodes", "none"},
                              {"results",
                               json::array({{{"code", "200"}, {"body", "x"}},
                                            {{"code", 200}, {"body", {{"messages", 3}}}},
                                            {{"code", 200}, {"body", {{"messages", {1, "m"}}}}}})},
                              {"t", "now"}});
        }
        case Misbehaviour::wrong_swarm: {
            const json body = json::parse(request.body.begin(), request.body.end(), nullptr, false);
            const std::string method = method_of(body);
            if (method.empty() || method == "get_swarm" || method == "get_snodes_for_pubkey" ||
                method == "info" || misbehaviour_.accomplices.empty() ||
                !spoils(Misbehaviour::wrong_swarm))
                return std::nullopt;
            ++misdeeds_.wrong_swarm;
            json claim{{"snodes", storage::snodes_json(misbehaviour_.accomplices)}, {"swarm", "0"}};
            handler_.add_time_fields(claim, now);
            return wrap(421, claim);
        }
        case Misbehaviour::forge_ack: {
            const json body = json::parse(request.body.begin(), request.body.end(), nullptr, false);
            if (method_of(body) != "store" || !body.contains("params"))
                return std::nullopt;
            auto own = forged_store_result(body.at("params"), now);
            if (!own || !spoils(Misbehaviour::forge_ack))
                return std::nullopt;
            ++misdeeds_.forged_acks;
            json reply{{"swarm", {{to_hex(id()), *own}}}, {"hash", own->at("hash")}};
            handler_.add_time_fields(reply, now);
            return wrap(200, reply);
        }
        default:
            return std::nullopt;
    }
}

std::optional<Actions> ServiceNode::misbehave_as_peer(std::uint64_t request_id, const json& request,
                                                      std::int64_t now) {
    if (auto dropped = maybe_drop(request_id, true))
        return Actions{std::move(*dropped)};
    if (misbehaviour_.kind != Misbehaviour::forge_ack || method_of(request) != "store")
        return std::nullopt;
    auto own = forged_store_result(request.at("params"), now);
    if (!own || !spoils(Misbehaviour::forge_ack))
        return std::nullopt;
    ++misdeeds_.forged_acks;
    return Actions{Reply{request_id, true, 200, own->dump()}};
}

}  // namespace sessionsim::node
