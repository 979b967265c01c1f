// The client's cached list of service nodes (the snode pool), with the address facts path
// selection needs.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/onion/builder.h"

namespace sessionsim::client {

struct NodeInfo {
    crypto::Ed25519PublicKey ed25519{};
    crypto::X25519PublicKey x25519{};
    std::uint32_t ipv4 = 0;

    std::uint32_t subnet24() const { return ipv4 >> 8; }
    onion::NodeKeys onion_keys() const { return {x25519, ed25519}; }
};

class NodePool {
public:
    NodePool() = default;
    explicit NodePool(std::vector<NodeInfo> nodes);

    void replace(std::vector<NodeInfo> nodes);
    void remove(const crypto::Ed25519PublicKey& node);
    bool contains(const crypto::Ed25519PublicKey& node) const { return index_.count(node) > 0; }
    const NodeInfo* find(const crypto::Ed25519PublicKey& node) const;
    const std::vector<NodeInfo>& nodes() const { return nodes_; }
    std::size_t size() const { return nodes_.size(); }

private:
    void reindex();
    std::vector<NodeInfo> nodes_;
    std::map<crypto::Ed25519PublicKey, std::size_t> index_;
};

}  // namespace sessionsim::client
