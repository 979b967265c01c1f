#include "models/storage/swarm_view.h"

#include <algorithm>

#include "models/common/errors.h"
#include "models/swarm/swarm_selection.h"
#include "models/swarm/swarm_space.h"

namespace sessionsim::storage {

SwarmView::SwarmView(std::map<swarm::SwarmId, std::vector<NodeContact>> swarms)
    : swarms_(std::move(swarms)) {
    for (auto& [id, members] : swarms_) {
        std::sort(members.begin(), members.end(),
                  [](const NodeContact& a, const NodeContact& b) { return a.ed25519 < b.ed25519; });
        ids_.push_back(id);
        for (const auto& m : members)
            node_swarm_[m.ed25519] = id;
    }
}

const std::vector<NodeContact>& SwarmView::members(swarm::SwarmId id) const {
    static const std::vector<NodeContact> none;
    const auto it = swarms_.find(id);
    return it == swarms_.end() ? none : it->second;
}

swarm::SwarmId SwarmView::swarm_of(const identity::AccountId& account) const {
    return swarm::closest_swarm(ids_, swarm::swarm_space(account.key));
}

std::optional<swarm::SwarmId> SwarmView::swarm_of_node(const crypto::Ed25519PublicKey& node) const {
    const auto it = node_swarm_.find(node);
    if (it == node_swarm_.end())
        return std::nullopt;
    return it->second;
}

const NodeContact* SwarmView::find(const crypto::Ed25519PublicKey& node) const {
    const auto swarm = swarm_of_node(node);
    if (!swarm)
        return nullptr;
    for (const auto& m : swarms_.at(*swarm)) {
        if (m.ed25519 == node)
            return &m;
    }
    return nullptr;
}

nlohmann::json snodes_json(const std::vector<NodeContact>& members) {
    nlohmann::json snodes = nlohmann::json::array();
    for (const auto& m : members) {
        snodes.push_back({{"address", base32z(m.ed25519) + ".snode"},
                          {"ip", ipv4_string(m.ipv4)},
                          {"port", std::to_string(m.https_port)},
                          {"port_https", m.https_port},
                          {"port_omq", m.omq_port},
                          {"port_quic", m.quic_port},
                          {"pubkey_ed25519", to_hex(m.ed25519)},
                          {"pubkey_legacy", to_hex(m.ed25519)},
                          {"pubkey_x25519", to_hex(m.x25519)}});
    }
    return snodes;
}

nlohmann::json SwarmView::swarm_json(swarm::SwarmId id) const {
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%llx", static_cast<unsigned long long>(id));
    return {{"snodes", snodes_json(members(id))}, {"swarm", std::string(hex)}};
}

std::string base32z(ByteView data) {
    static constexpr char alphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const std::uint8_t b : data) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::string ipv4_string(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
           std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

}  // namespace sessionsim::storage
