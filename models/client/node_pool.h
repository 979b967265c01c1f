// The client's cached list of service nodes (the snode pool), with the address facts path
// selection needs. Copies share one immutable snapshot until one of them changes (copy on
// write): every client starts from the same ~2,000-node list, and holding it once instead of
// once per client is what lets 100,000 clients fit in memory (issue 9) without changing what
// any client sees.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "models/onion/builder.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::client {

struct NodeInfo {
    crypto::Ed25519PublicKey ed25519{};
    crypto::X25519PublicKey x25519{};
    std::uint32_t ipv4 = 0;

    std::uint32_t subnet24() const { return ipv4 >> 8; }
    onion::NodeKeys onion_keys() const { return {x25519, ed25519}; }
    bool operator==(const NodeInfo&) const = default;
};

class NodePool {
public:
    NodePool() = default;
    explicit NodePool(std::vector<NodeInfo> nodes);

    void replace(std::vector<NodeInfo> nodes);
    void remove(const crypto::Ed25519PublicKey& node);
    bool contains(const crypto::Ed25519PublicKey& node) const { return find(node) != nullptr; }
    const NodeInfo* find(const crypto::Ed25519PublicKey& node) const;
    const std::vector<NodeInfo>& nodes() const;
    std::size_t size() const { return nodes().size(); }
    /// Whether two pools share one snapshot (for tests and memory accounting).
    bool shares_with(const NodePool& other) const { return snapshot_ == other.snapshot_; }

    /// The swarms the node list assigns (each listed node names its swarm), as fetched with it:
    /// what a client that computes swarms itself (libsession) reads. May be null.
    const std::shared_ptr<const storage::SwarmView>& swarms() const { return swarms_; }
    void set_swarms(std::shared_ptr<const storage::SwarmView> swarms) {
        swarms_ = std::move(swarms);
    }

private:
    struct Snapshot {
        std::vector<NodeInfo> nodes;
        std::map<crypto::Ed25519PublicKey, std::size_t> index;
    };
    std::shared_ptr<const Snapshot> snapshot_;
    std::shared_ptr<const storage::SwarmView> swarms_;
};

}  // namespace sessionsim::client
