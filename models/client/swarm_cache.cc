#include "models/client/swarm_cache.h"

#include <arpa/inet.h>

namespace sessionsim::client {

std::vector<NodeInfo> SwarmCache::parse_snodes(const nlohmann::json& body) {
    std::vector<NodeInfo> out;
    if (!body.is_object() || !body.contains("snodes") || !body.at("snodes").is_array())
        return out;
    for (const auto& s : body.at("snodes")) {
        try {
            NodeInfo n;
            n.ed25519 =
                fixed_from_hex<32>(s.at("pubkey_ed25519").get<std::string>(), "pubkey_ed25519");
            n.x25519 =
                fixed_from_hex<32>(s.at("pubkey_x25519").get<std::string>(), "pubkey_x25519");
            in_addr addr{};
            if (inet_pton(AF_INET, s.at("ip").get<std::string>().c_str(), &addr) == 1) {
                n.ipv4 = ntohl(addr.s_addr);
            }
            out.push_back(n);
        } catch (const std::exception&) {
            // A malformed entry from a (possibly hostile) node is skipped, not trusted.
        }
    }
    return out;
}

void SwarmCache::drop_member(const identity::AccountId& account,
                             const crypto::Ed25519PublicKey& node) {
    const auto it = swarms_.find(account);
    if (it == swarms_.end())
        return;
    std::erase_if(it->second, [&](const NodeInfo& n) { return n.ed25519 == node; });
}

void SwarmCache::set(const identity::AccountId& account, std::vector<NodeInfo> members,
                     crypto::RandomSource& random) {
    random.shuffle(std::span(members));
    swarms_[account] = std::move(members);
}

std::optional<std::vector<NodeInfo>> SwarmCache::usable(const identity::AccountId& account) const {
    const auto it = swarms_.find(account);
    if (it == swarms_.end() || it->second.size() < min_members_)
        return std::nullopt;
    return it->second;
}

void SwarmCache::drop_missing(const NodePool& pool) {
    for (auto& [account, members] : swarms_)
        std::erase_if(members, [&](const NodeInfo& n) { return !pool.contains(n.ed25519); });
}

}  // namespace sessionsim::client
