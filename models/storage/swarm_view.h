// What a storage node knows of the network: every swarm's members and how to reach them. It
// answers "is this account ours?", names the right swarm in a 421, and serves get_swarm.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/ed25519.h"
#include "models/crypto/x25519.h"
#include "models/identity/account_id.h"
#include "models/swarm/rules.h"

namespace sessionsim::storage {

struct NodeContact {
    crypto::Ed25519PublicKey ed25519{};
    crypto::X25519PublicKey x25519{};
    std::uint32_t ipv4 = 0;  ///< host order, a.b.c.d = a<<24 | ...
    std::uint16_t https_port = 22021;
    std::uint16_t omq_port = 22020;
    std::uint16_t quic_port = 22021;
};

class SwarmView {
public:
    SwarmView() = default;
    /// Each swarm's members are kept in public-key order, whatever order they come in: the
    /// get_swarm answers built from this view, and so a client's random pick of a swarm member,
    /// are then the same for the simulator's chain (a map by key) and the testbed's registry
    /// (a file by node index), so that one seed draws the same nodes in both.
    explicit SwarmView(std::map<swarm::SwarmId, std::vector<NodeContact>> swarms);

    bool empty() const { return ids_.empty(); }
    const std::vector<swarm::SwarmId>& ids() const { return ids_; }
    const std::vector<NodeContact>& members(swarm::SwarmId id) const;

    /// The swarm that stores `account` (closest on the ring). Throws InvalidInput if empty.
    swarm::SwarmId swarm_of(const identity::AccountId& account) const;
    std::optional<swarm::SwarmId> swarm_of_node(const crypto::Ed25519PublicKey& node) const;
    const NodeContact* find(const crypto::Ed25519PublicKey& node) const;

    /// {"snodes": [{address, ip, port, port_https, port_omq, port_quic, pubkey_ed25519,
    /// pubkey_legacy, pubkey_x25519}...], "swarm": "<hex id>"} as get_swarm and 421 send it.
    nlohmann::json swarm_json(swarm::SwarmId id) const;

private:
    std::map<swarm::SwarmId, std::vector<NodeContact>> swarms_;
    std::vector<swarm::SwarmId> ids_;
    std::map<crypto::Ed25519PublicKey, swarm::SwarmId> node_swarm_;
};

/// The "snodes" list of a get_swarm or 421 answer naming `members`.
nlohmann::json snodes_json(const std::vector<NodeContact>& members);

/// z-base-32 (the .snode address encoding).
std::string base32z(ByteView data);
std::string ipv4_string(std::uint32_t ip);

}  // namespace sessionsim::storage
