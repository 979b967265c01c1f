#include "models/client/node_pool.h"

#include <algorithm>

namespace sessionsim::client {

NodePool::NodePool(std::vector<NodeInfo> nodes) {
    replace(std::move(nodes));
}

void NodePool::replace(std::vector<NodeInfo> nodes) {
    nodes_ = std::move(nodes);
    reindex();
}

void NodePool::remove(const crypto::Ed25519PublicKey& node) {
    const auto it = index_.find(node);
    if (it == index_.end())
        return;
    nodes_.erase(nodes_.begin() + static_cast<long>(it->second));
    reindex();
}

const NodeInfo* NodePool::find(const crypto::Ed25519PublicKey& node) const {
    const auto it = index_.find(node);
    return it == index_.end() ? nullptr : &nodes_[it->second];
}

void NodePool::reindex() {
    index_.clear();
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        index_[nodes_[i].ed25519] = i;
}

}  // namespace sessionsim::client
