#include "sim/apps/directory.h"

#include <ns3/simulator.h>

#include "models/swarm/assignment.h"

namespace sessionsim::apps {

std::shared_ptr<NodeDirectory> make_directory(const std::vector<node::NodeKeys>& keys,
                                              const std::vector<ns3::Ipv4Address>& addresses,
                                              const std::vector<std::uint32_t>& ipv4,
                                              std::uint64_t rebalance_seed) {
    auto directory = std::make_shared<NodeDirectory>();
    swarm::SwarmAssignment assignment;
    std::vector<client::NodeInfo> nodes;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto& k = keys[i];
        assignment[k.ed25519.public_key] = swarm::kUnassignedSwarmId;
        directory->addresses[k.ed25519.public_key] = addresses[i];
        nodes.push_back({k.ed25519.public_key, k.x25519.public_key, ipv4[i]});
    }
    directory->pool = client::NodePool(std::move(nodes));
    swarm::rebalance_assignment(assignment, rebalance_seed);
    std::map<swarm::SwarmId, std::vector<storage::NodeContact>> swarms;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        swarms[assignment.at(keys[i].ed25519.public_key)].push_back(
            {keys[i].ed25519.public_key, keys[i].x25519.public_key, ipv4[i]});
    }
    directory->swarms = std::make_shared<const storage::SwarmView>(swarms);
    return directory;
}

std::int64_t protocol_now_ms() {
    return kEpochMs + ns3::Simulator::Now().GetMilliSeconds();
}

}  // namespace sessionsim::apps
