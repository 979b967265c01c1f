// Which service nodes an adversary runs, and what one onion request exposes to it
// (metrics-and-validation.md §1.5-1.6). How the nodes are chosen matters because clients never
// put two nodes of one /24 on a path: an adversary packed into few /24s can hold at most one hop
// of any path, one spread across /24s can hold several.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "models/client/path_manager.h"
#include "models/crypto/random.h"
#include "sim/net/placement.h"

namespace sessionsim::observe {

enum class CompromiseStrategy {
    random,          ///< `count` nodes drawn uniformly
    packed_subnets,  ///< whole /24s, drawn at random, until `count` nodes
    one_provider,    ///< drawn uniformly among one provider's nodes
};

/// Marks `count` of `hosts` as the adversary's. one_provider draws from hosts whose provider is
/// `provider` and throws std::invalid_argument if it has fewer than `count` nodes.
std::vector<bool> compromise(const std::vector<net::PlacedHost>& hosts, std::size_t count,
                             CompromiseStrategy strategy, crypto::RandomSource& random,
                             const std::string& provider = "");

/// What an onion request to `destination` over `path` [guard, relays...] exposes.
struct PathExposure {
    bool guard = false;        ///< sees the client's IP
    bool destination = false;  ///< reads the account (store/retrieve) in its layer
    int malicious_hops = 0;    ///< malicious nodes among the path's hops (not the destination)

    bool guard_and_destination() const { return guard && destination; }  ///< IP <-> account
};

using IsMalicious = std::function<bool(const crypto::Ed25519PublicKey&)>;

PathExposure exposure(const client::Path& path, const crypto::Ed25519PublicKey& destination,
                      const IsMalicious& malicious);

}  // namespace sessionsim::observe
