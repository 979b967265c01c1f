// A small network of ServiceNodes wired together in memory, delivering every action at once in
// FIFO order: the sans-I/O node logic tested end to end without ns-3. Nodes in `down` drop
// everything (their callers see timeouts).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "models/crypto/hash.h"
#include "models/node/service_node.h"
#include "models/onion/builder.h"
#include "models/swarm/assignment.h"

namespace sessionsim::test {

class NodeNetwork {
public:
    NodeNetwork(std::size_t nodes, std::uint64_t seed) : random_(seed, "node network") {
        for (std::size_t i = 0; i < nodes; ++i)
            add_node(seed);
        rebalance(1);
    }

    /// Registers one more node (it joins at the next rebalance).
    std::size_t add_node(std::uint64_t seed) {
        const std::size_t i = nodes_.size();
        auto keys = node::NodeKeys::from_seed(crypto::Ed25519Seed::from(crypto::blake2b_256(
            {as_bytes("node" + std::to_string(seed) + "/" + std::to_string(i))})));
        assignment_[keys.ed25519.public_key] = swarm::kUnassignedSwarmId;
        nodes_.push_back(std::make_unique<node::ServiceNode>(std::move(keys), random_));
        index_[nodes_.back()->id()] = i;
        return i;
    }
    void remove_node(std::size_t i) { assignment_.erase(nodes_[i]->id()); }

    /// Node `i`'s storage server crashes and starts again with its database (churn with
    /// keep_database), as ServiceNodeApp::Crash and Recover do.
    void restart(std::size_t i) {
        auto keys = nodes_[i]->keys();
        auto database = std::move(nodes_[i]->store());
        nodes_[i] = std::make_unique<node::ServiceNode>(std::move(keys), random_);
        nodes_[i]->restore_database(std::move(database));
        nodes_[i]->set_swarms(view_);
    }

    /// A block: oxend's rebalance, then every active node learns the new swarms; the pushes
    /// that follow are delivered.
    void rebalance(std::uint64_t block_seed, std::int64_t now = 1'700'000'000'000) {
        swarm::rebalance_assignment(assignment_, block_seed);
        std::map<swarm::SwarmId, std::vector<storage::NodeContact>> swarms;
        for (const auto& [key, id] : assignment_) {
            const auto& n = *nodes_[index_.at(key)];
            swarms[id].push_back({key, n.keys().x25519.public_key,
                                  0x0a000001u + (static_cast<std::uint32_t>(index_.at(key)) << 8)});
        }
        const auto view = std::make_shared<const storage::SwarmView>(swarms);
        view_ = view;
        for (const auto& [key, id] : assignment_) {
            const std::size_t i = index_.at(key);
            enqueue(i, nodes_[i]->set_swarms(view));
        }
        run(now);
    }

    node::ServiceNode& at(std::size_t i) { return *nodes_[i]; }
    std::size_t size() const { return nodes_.size(); }
    std::size_t index_of(const crypto::Ed25519PublicKey& id) const { return index_.at(id); }
    onion::NodeKeys onion_keys(std::size_t i) const {
        return {nodes_[i]->keys().x25519.public_key, nodes_[i]->id()};
    }
    std::set<std::size_t> down;

    /// A client sends `body` to node `guard`'s /onion_req/v2 and waits for the answer.
    node::WireReply onion_request(std::size_t guard, const Bytes& body, std::int64_t now) {
        const std::uint64_t id = next_client_id_++;
        enqueue(guard, nodes_[guard]->on_onion_request(id, body, now));
        run(now);
        return client_replies_.at(id);
    }

    /// A client POSTs `body` to node `node`'s /storage_rpc/v1 directly and waits for the answer.
    node::WireReply direct_rpc(std::size_t node, std::string_view body, std::int64_t now) {
        const std::uint64_t id = next_client_id_++;
        enqueue(node, nodes_[node]->on_client_rpc(id, body, now));
        run(now);
        return client_replies_.at(id);
    }

    crypto::RandomSource& random() { return random_; }
    /// The swarms as of the last rebalance (what the node list names).
    const std::shared_ptr<const storage::SwarmView>& swarms() const { return view_; }

private:
    struct Pending {
        std::size_t from;
        std::uint64_t request_id;
    };

    void enqueue(std::size_t node, node::Actions actions) {
        for (auto& a : actions)
            queue_.emplace_back(node, std::move(a));
    }

    void run(std::int64_t now) {
        while (!queue_.empty()) {
            auto [from, action] = std::move(queue_.front());
            queue_.pop_front();
            if (auto* send = std::get_if<node::SendToPeer>(&action)) {
                const std::size_t to = index_.at(send->peer);
                if (down.count(to)) {
                    if (send->expects_reply)
                        enqueue(from,
                                nodes_[from]->on_peer_reply(send->request_id, std::nullopt, now));
                    continue;
                }
                const std::uint64_t wire_id = next_wire_id_++;
                if (send->expects_reply)
                    wire_[wire_id] = {from, send->request_id};
                enqueue(to, nodes_[to]->on_peer_request(nodes_[from]->id(), send->channel, wire_id,
                                                        send->payload, now));
            } else if (auto* reply = std::get_if<node::Reply>(&action)) {
                if (!reply->from_peer) {
                    // A silent reply (a hostile node dropping the request) reads as status 0:
                    // the client would time out.
                    client_replies_[reply->request_id] =
                        reply->silent ? node::WireReply{0, ""}
                                      : node::WireReply{reply->status, reply->body};
                    continue;
                }
                const auto wire = wire_.find(reply->request_id);
                if (wire == wire_.end())
                    continue;  // nobody waits for it (a replayed copy)
                const Pending p = wire->second;
                wire_.erase(wire);
                std::optional<node::WireReply> answer;
                if (!reply->silent)  // silent: the asker's timeout, at once
                    answer = node::WireReply{reply->status, reply->body};
                enqueue(p.from, nodes_[p.from]->on_peer_reply(p.request_id, answer, now));
            } else {
                const auto& post = std::get<node::PostToServer>(action);
                enqueue(from, nodes_[from]->on_server_reply(post.request_id, std::nullopt, now));
            }
        }
    }

    crypto::SeededRandom random_;
    std::vector<std::unique_ptr<node::ServiceNode>> nodes_;
    std::map<crypto::Ed25519PublicKey, std::size_t> index_;
    swarm::SwarmAssignment assignment_;
    std::shared_ptr<const storage::SwarmView> view_;
    std::deque<std::pair<std::size_t, node::Action>> queue_;
    std::map<std::uint64_t, Pending> wire_;
    std::map<std::uint64_t, node::WireReply> client_replies_;
    std::uint64_t next_wire_id_ = 1;
    std::uint64_t next_client_id_ = 1;
};

}  // namespace sessionsim::test
