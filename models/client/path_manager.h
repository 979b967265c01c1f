// Onion paths: one per guard, each [guard, relay, relay]. Guards stay until their path fails
// `path_strike_threshold` times; a node failing `node_strike_threshold` times (or reported as
// "Next node not found") leaves the pool and is patched out of paths. A failed path may strike
// its relays or all its nodes too (path_failure_strikes); strikes may expire (strike_expiry_ms)
// or be cleared by a node-list refresh (strikes_cleared_on_refresh). Relays are drawn at random,
// never two in one /24, never a guard twice, and a request's destination is never on its path
// (session desktop onionPath.ts; libsession network.cpp, snode_pool.cpp).
#pragma once

#include <cstdint>
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
    timeout,           ///< no answer at all within the client's own timeout
    bad_response,      ///< an error status from the path (504 Request time out, 500), or an
                       ///< answer that does not open: the path is at fault
    node_not_found,    ///< 502 Next node not found: <ed25519>: that node leaves the pool at once
    node_unreachable,  ///< a specific node failed: strike it
};

class PathManager {
public:
    PathManager(ClientConfig config, NodePool& pool) : config_(config), pool_(pool) {}

    /// Builds paths until `path_count` exist (or wait for their guard test), each with up to
    /// `path_build_attempts` fresh draws. False if the pool cannot supply them (too few nodes
    /// or /24s).
    bool build(crypto::RandomSource& random, std::int64_t now_ms = 0);

    /// Gives relay rotation a random stream of its own, seeded from `random` (call once, at the
    /// client's start; only profiles that rotate need it). The relays a client rotates to then
    /// depend on its seed and its rotations alone, not on how its other draws (destinations,
    /// poll nodes, retries) happened to interleave with them: two runs of the same clients whose
    /// timings differ by a little (simulator and testbed, the two transport levels) rotate to
    /// the same relays, as common random numbers should, instead of to two unrelated path sets.
    void use_own_rotation_stream(crypto::RandomSource& random);

    /// A random path that does not contain `destination`; builds if needed, and rotates relays
    /// and guards that have served their time. nullopt if none is ready (see testing()).
    std::optional<Path> path_for(const crypto::Ed25519PublicKey& destination,
                                 crypto::RandomSource& random, std::int64_t now_ms = 0);

    /// Guard tests (guard_test): the guards of paths built since the last call, to be tested.
    std::vector<NodeInfo> take_guards_to_test();
    /// Whether a path is waiting for its guard's test.
    bool testing() const { return !candidates_.empty(); }
    /// The test of `guard` passed: its path is ready.
    void guard_test_passed(const crypto::Ed25519PublicKey& guard, std::int64_t now_ms);
    /// The test of `guard` failed: its path is discarded (the guard struck if the profile says
    /// so) and another is built. False once guard_test_attempts tests in a row have failed.
    bool guard_test_failed(const crypto::Ed25519PublicKey& guard, crypto::RandomSource& random,
                           std::int64_t now_ms);

    /// A fresh path of `length` nodes avoiding `destination`, with the same diversity rules, not
    /// kept (latency probes). nullopt if the pool cannot supply one.
    std::optional<Path> one_off_path(std::size_t length,
                                     const crypto::Ed25519PublicKey& destination,
                                     crypto::RandomSource& random) const;

    /// Reports a failed request on `path` at `now_ms`. `node` names the culprit for node_*
    /// failures.
    void report_failure(const Path& path, PathFailure failure,
                        const std::optional<crypto::Ed25519PublicKey>& node,
                        crypto::RandomSource& random, std::int64_t now_ms = 0);
    /// The driver lost its connection to `guard` (connection_loss): under drops_path the path
    /// through it goes as if it had failed path_strike_threshold times (its guard leaves the
    /// pool, its nodes are struck as path_failure_strikes says for a dropped path) and paths
    /// are rebuilt. Nothing under ignored, or if `guard` is no kept path's guard.
    void connection_lost(crypto::Ed25519PublicKey guard, crypto::RandomSource& random,
                         std::int64_t now_ms);
    /// The pool was just refetched (every node back): clear the strikes, or, where strikes
    /// outlive a refresh, take the nodes still struck out off the new pool again.
    void on_pool_refresh(std::int64_t now_ms);
    const std::vector<Path>& paths() const { return paths_; }
    std::vector<crypto::Ed25519PublicKey> guards() const;
    /// Strikes that still count at `now_ms` (all of them when strikes do not expire).
    int path_strikes(const crypto::Ed25519PublicKey& guard, std::int64_t now_ms = 0) const;
    int node_strikes(const crypto::Ed25519PublicKey& node, std::int64_t now_ms = 0) const;
    std::uint64_t paths_built() const { return paths_built_; }
    std::uint64_t paths_dropped() const { return paths_dropped_; }
    /// Paths whose relays were replaced on schedule (path_rotation_ms).
    std::uint64_t paths_rotated() const { return paths_rotated_; }

private:
    std::optional<Path> build_one(crypto::RandomSource& random) const;
    /// Replaces relays and guards that have served their time (path_rotation_ms,
    /// guard_lifetime_ms).
    void rotate(crypto::RandomSource& random, std::int64_t now_ms);
    /// Guards of the kept paths and of those waiting for their test.
    std::vector<crypto::Ed25519PublicKey> taken_guards() const;
    /// A node not in `path`, not a guard, not `exclude`, in an unused /24.
    std::optional<NodeInfo> pick_relay(
        const Path& path, crypto::RandomSource& random,
        const std::optional<crypto::Ed25519PublicKey>& exclude) const;
    void drop_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random);
    /// Takes `guard` by value: callers may name it by a reference into the path it drops.
    void drop_path_of_guard(crypto::Ed25519PublicKey guard);
    /// Adds a strike against `node` at `now_ms`; drops it at the threshold.
    void strike_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random,
                     std::int64_t now_ms);
    /// The kept path whose guard is `guard`, or nullptr.
    const Path* kept_path(const crypto::Ed25519PublicKey& guard) const;
    /// Strikes the nodes of a failed path that the profile's rules name: the guard for an
    /// Android timeout, else as path_failure_strikes says (`dropped`: the failure dropped it).
    void strike_path_nodes(const Path& nodes, bool timeout, bool dropped,
                           crypto::RandomSource& random, std::int64_t now_ms);
    /// When each strike was given, oldest first.
    using Strikes = std::map<crypto::Ed25519PublicKey, std::vector<std::int64_t>>;
    /// Adds a strike to `strikes[key]` and returns how many still count.
    int add_strike(Strikes& strikes, const crypto::Ed25519PublicKey& key, std::int64_t now_ms);
    int count_strikes(const Strikes& strikes, const crypto::Ed25519PublicKey& key,
                      std::int64_t now_ms) const;

    ClientConfig config_;
    NodePool& pool_;
    std::vector<Path> paths_;
    std::vector<Path> candidates_;  ///< built, waiting for their guard's test
    std::vector<NodeInfo> to_test_;
    int failed_tests_ = 0;
    /// Since when each kept path's guard and relays have served, by guard.
    struct Served {
        std::int64_t guard_ms = 0, relays_ms = 0;
    };
    std::map<crypto::Ed25519PublicKey, Served> served_;
    Strikes path_strikes_;
    Strikes node_strikes_;
    std::uint64_t paths_built_ = 0;
    std::uint64_t paths_dropped_ = 0;
    std::uint64_t paths_rotated_ = 0;
    std::optional<crypto::SeededRandom> rotation_random_;  ///< see use_own_rotation_stream
};

}  // namespace sessionsim::client
