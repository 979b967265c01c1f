// Onion paths: one per guard, each [guard, relay, relay]. Guards stay until their path fails
// `path_strike_threshold` times; a node failing `node_strike_threshold` times (or reported as
// "Next node not found") leaves the pool and is patched out of paths. Relays are drawn at random,
// never two in one /24, never a guard twice, and a request's destination is never on its path
// (session desktop onionPath.ts; libsession network.cpp, snode_pool.cpp).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "models/client/client_config.h"
#include "models/client/node_pool.h"
#include "models/crypto/random.h"

namespace sessionsim::client {

using Path = std::vector<NodeInfo>;

/// Why a request failed, as the client classifies the reply (libsession onion_request_router).
enum class PathFailure {
    timeout,           ///< 504 Request time out, or no answer at all: the path is at fault
    bad_response,      ///< 500 Invalid response from snode: the path
    node_not_found,    ///< 502 Next node not found: <ed25519>: that node leaves the pool at once
    node_unreachable,  ///< a specific node failed: strike it
};

class PathManager {
public:
    PathManager(ClientConfig config, NodePool& pool) : config_(config), pool_(pool) {}

    /// Builds paths until `path_count` exist, each with up to `path_build_attempts` fresh draws.
    /// False if the pool cannot supply them (too few nodes or /24s).
    bool build(crypto::RandomSource& random);

    /// A random path that does not contain `destination`; builds if needed. nullopt if none.
    std::optional<Path> path_for(const crypto::Ed25519PublicKey& destination,
                                 crypto::RandomSource& random);

    /// A fresh path of `length` nodes avoiding `destination`, with the same diversity rules, not
    /// kept (latency probes). nullopt if the pool cannot supply one.
    std::optional<Path> one_off_path(std::size_t length,
                                     const crypto::Ed25519PublicKey& destination,
                                     crypto::RandomSource& random) const;

    /// Reports a failed request on `path`. `node` names the culprit for node_* failures.
    void report_failure(const Path& path, PathFailure failure,
                        const std::optional<crypto::Ed25519PublicKey>& node,
                        crypto::RandomSource& random);
    const std::vector<Path>& paths() const { return paths_; }
    std::vector<crypto::Ed25519PublicKey> guards() const;
    int path_strikes(const crypto::Ed25519PublicKey& guard) const;
    int node_strikes(const crypto::Ed25519PublicKey& node) const;
    std::uint64_t paths_built() const { return paths_built_; }
    std::uint64_t paths_dropped() const { return paths_dropped_; }

private:
    std::optional<Path> build_one(crypto::RandomSource& random) const;
    /// A node not in `path`, not a guard, not `exclude`, in an unused /24.
    std::optional<NodeInfo> pick_relay(
        const Path& path, crypto::RandomSource& random,
        const std::optional<crypto::Ed25519PublicKey>& exclude) const;
    void drop_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random);
    void drop_path_of_guard(const crypto::Ed25519PublicKey& guard);

    ClientConfig config_;
    NodePool& pool_;
    std::vector<Path> paths_;
    std::map<crypto::Ed25519PublicKey, int> path_strikes_;
    std::map<crypto::Ed25519PublicKey, int> node_strikes_;
    std::uint64_t paths_built_ = 0;
    std::uint64_t paths_dropped_ = 0;
};

}  // namespace sessionsim::client
