// A Session-sized network for Monte Carlo validation without ns-3: nodes placed by the
// simulator's own placement (countries, providers, /24s), swarms from the registry's oxend
// rebalance, and the client's view of the nodes.
#pragma once

#include <cmath>
#include <map>
#include <vector>

#include "models/client/node_pool.h"
#include "models/crypto/random.h"
#include "sim/net/placement.h"
#include "sim/registry/registry.h"

namespace sessionsim::test {

struct SessionNetwork {
    std::vector<net::PlacedHost> hosts;
    std::vector<client::NodeInfo> nodes;
    std::vector<std::vector<std::size_t>> swarms;           ///< node indices
    std::map<crypto::Ed25519PublicKey, std::size_t> index;  ///< key -> node index
};

inline SessionNetwork build_session_network(std::size_t n, std::uint64_t seed,
                                            std::size_t hosts_per_subnet = 4) {
    SessionNetwork net;
    crypto::SeededRandom random(seed, "validation network");
    const auto providers = net::default_node_providers();
    net.hosts = net::place_hosts(n, net::default_node_countries(), nullptr,
                                 {.hosts_per_subnet = hosts_per_subnet,
                                  .first_address = 0x0a000000,
                                  .providers = &providers},
                                 random);
    registry::Registry chain({}, seed);
    for (std::size_t i = 0; i < n; ++i) {
        client::NodeInfo node;
        random.fill(node.ed25519);
        random.fill(node.x25519);
        node.ipv4 = net.hosts[i].ipv4;
        net.nodes.push_back(node);
        net.index[node.ed25519] = i;
        chain.add_existing(node.ed25519, 0);
    }
    chain.start(seed);
    std::map<swarm::SwarmId, std::vector<std::size_t>> by_swarm;
    for (const auto& [key, id] : chain.assignment())
        by_swarm[id].push_back(net.index.at(key));
    for (auto& [id, members] : by_swarm)
        net.swarms.push_back(std::move(members));
    return net;
}

/// log C(n, k), for hypergeometric probabilities.
inline double log_choose(double n, double k) {
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

}  // namespace sessionsim::test
