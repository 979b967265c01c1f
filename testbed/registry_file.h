// The testbed's stand-in for the chain: a JSON file listing every node (keys, loopback or
// namespace address, port) with its swarm, placed by the same rebalancing oxend runs
// (models/swarm). `sessionsim testbed` writes it; every node and client reads it.
//
//   {"seed": 1, "nodes": [{"index": 0, "ed25519": "<hex>", "x25519": "<hex>",
//                          "ip": "127.0.1.1", "port": 22021, "swarm": "<decimal id>"}, ...]}
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/client/node_pool.h"
#include "models/node/service_node.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::testbed {

/// Where a host is in the simulator's latency model (empty on a plain loopback testbed).
struct RegistryLocation {
    std::string country;  ///< ISO 3166-1 alpha-2
    int city = -1;        ///< WonderProxy server id, or -1
};

struct RegistryNode {
    std::size_t index = 0;
    storage::NodeContact contact;
    swarm::SwarmId swarm = 0;
    RegistryLocation location;
};

/// A client host of a namespace testbed: its own address in the clients' namespace.
struct RegistryClient {
    std::size_t index = 0;
    std::uint32_t ipv4 = 0;
    RegistryLocation location;
};

struct Registry {
    std::uint64_t seed = 0;
    std::vector<RegistryNode> nodes;
    std::vector<RegistryClient> clients;  ///< namespace testbeds only
    /// Namespace testbeds: the prefix of their network namespaces' names (testbed/netns.h);
    /// empty: every host on loopback.
    std::string netns;

    /// `count` nodes at 127.0.<i+1>.1:`port` (each in its own /24, as real paths require), with
    /// keys from `seed`, placed in swarms as oxend would place a fresh network.
    static Registry make(std::size_t count, std::uint64_t seed, std::uint16_t port);
    /// One node per address given (and its location, if any), keys from `seed`, in swarms.
    static Registry make(const std::vector<std::uint32_t>& addresses, std::uint64_t seed,
                         std::uint16_t port);
    /// Throws std::runtime_error naming the file and the problem.
    static Registry load(const std::string& path);
    void save(const std::string& path) const;

    std::shared_ptr<const storage::SwarmView> swarm_view() const;
    client::NodePool pool() const;
};

/// The keys of node `index` of a testbed made from `seed`: those the simulator gives service node
/// `index` of a run with that seed.
node::NodeKeys testbed_node_keys(std::uint64_t seed, std::size_t index);

}  // namespace sessionsim::testbed
