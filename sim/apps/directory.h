// Who is where: each service node's keys and simulated address. Built once by the scenario and
// shared (read-only) by every application, as the chain's service-node list is.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ns3/ipv4-address.h>

#include "models/client/node_pool.h"
#include "models/node/service_node.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::apps {

struct NodeDirectory {
    std::map<crypto::Ed25519PublicKey, ns3::Ipv4Address> addresses;
    /// The active nodes, as clients put them in their pool: one shared snapshot that every
    /// client's pool copies (sharing, not duplicating, the list). Replaced when the active set
    /// changes.
    client::NodePool pool;
    std::shared_ptr<const storage::SwarmView> swarms;  ///< current swarms
    /// External servers (file server, push server) by host name, as DNS would resolve them.
    std::map<std::string, ns3::Ipv4Address> servers;

    const ns3::Ipv4Address* find(const crypto::Ed25519PublicKey& node) const {
        const auto it = addresses.find(node);
        return it == addresses.end() ? nullptr : &it->second;
    }
};

/// The directory for service nodes `keys` at `addresses` (ns-3) / `ipv4` (host order), with
/// swarms from one oxend rebalance of all of them under `rebalance_seed`.
std::shared_ptr<NodeDirectory> make_directory(const std::vector<node::NodeKeys>& keys,
                                              const std::vector<ns3::Ipv4Address>& addresses,
                                              const std::vector<std::uint32_t>& ipv4,
                                              std::uint64_t rebalance_seed);

/// HTTPS port of the external servers.
inline constexpr std::uint16_t kServerPort = 443;

/// Storage server port (HTTPS and OMQ share it here: one listener per node).
inline constexpr std::uint16_t kNodePort = 22021;

/// Simulated time 0 is this wall-clock instant, so timestamps are realistic milliseconds.
inline constexpr std::int64_t kEpochMs = 1'700'000'000'000;

/// The protocol's clock now: kEpochMs plus the simulated time, what timestamps, signatures and
/// TTLs are checked against.
std::int64_t protocol_now_ms();

}  // namespace sessionsim::apps
