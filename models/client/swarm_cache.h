// Which nodes hold an account's messages, as the client last learned them (get_swarm or a 421).
// Members are kept shuffled; the cache is stale once fewer than min_swarm_cache members are
// still in the node pool (session desktop getSwarmFor / minSwarmSnodeCount).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/client/node_pool.h"
#include "models/crypto/random.h"
#include "models/identity/account_id.h"

namespace sessionsim::client {

class SwarmCache {
public:
    explicit SwarmCache(std::size_t min_members) : min_members_(min_members) {}

    /// Parses {"snodes": [{pubkey_ed25519, pubkey_x25519, ip}...]} (get_swarm, 421 bodies).
    /// Entries that do not parse are skipped. Throws nothing.
    static std::vector<NodeInfo> parse_snodes(const nlohmann::json& body);

    void set(const identity::AccountId& account, std::vector<NodeInfo> members,
             crypto::RandomSource& random);
    /// The cached members, or nullopt when too few remain (refetch needed). A fresh get_swarm
    /// answer is trusted even for nodes the client struck off its pool before (libsession
    /// keeps the swarm cache apart from the pool).
    std::optional<std::vector<NodeInfo>> usable(const identity::AccountId& account) const;
    /// Removes, from every cached swarm, the nodes that have just left `pool` (struck off).
    void drop_missing(const NodePool& pool);
    void forget(const identity::AccountId& account) { swarms_.erase(account); }
    /// Removes `node` from `account`'s cached swarm (it answered nonsense).
    void drop_member(const identity::AccountId& account, const crypto::Ed25519PublicKey& node);

private:
    std::size_t min_members_;
    std::map<identity::AccountId, std::vector<NodeInfo>> swarms_;
};

}  // namespace sessionsim::client
