#include "models/client/node_pool.h"

#include <algorithm>

namespace sessionsim::client {

NodePool::NodePool(std::vector<NodeInfo> nodes) {
    replace(std::move(nodes));
}

void NodePool::replace(std::vector<NodeInfo> nodes) {
    auto fresh = std::make_shared<Snapshot>();
    fresh->nodes = std::move(nodes);
    for (std::size_t i = 0; i < fresh->nodes.size(); ++i)
        fresh->index[fresh->nodes[i].ed25519] = i;
    snapshot_ = std::move(fresh);
}

void NodePool::remove(const crypto::Ed25519PublicKey& node) {
    if (!contains(node))
        return;
    // Copy on write: the other pools sharing the snapshot keep the node.
    std::vector<NodeInfo> rest;
    rest.reserve(snapshot_->nodes.size() - 1);
    std::copy_if(snapshot_->nodes.begin(), snapshot_->nodes.end(), std::back_inserter(rest),
                 [&](const NodeInfo& n) { return n.ed25519 != node; });
    replace(std::move(rest));
}

const NodeInfo* NodePool::find(const crypto::Ed25519PublicKey& node) const {
    if (!snapshot_)
        return nullptr;
    const auto it = snapshot_->index.find(node);
    return it == snapshot_->index.end() ? nullptr : &snapshot_->nodes[it->second];
}

const std::vector<NodeInfo>& NodePool::nodes() const {
    static const std::vector<NodeInfo> empty;
    return snapshot_ ? snapshot_->nodes : empty;
}

}  // namespace sessionsim::client
