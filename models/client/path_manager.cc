#include "models/client/path_manager.h"

#include <algorithm>
#include <set>

namespace sessionsim::client {
namespace {

bool on_path(const Path& path, const crypto::Ed25519PublicKey& node) {
    return std::any_of(path.begin(), path.end(),
                       [&](const NodeInfo& n) { return n.ed25519 == node; });
}

}  // namespace

std::vector<crypto::Ed25519PublicKey> PathManager::guards() const {
    std::vector<crypto::Ed25519PublicKey> out;
    for (const auto& p : paths_)
        out.push_back(p.front().ed25519);
    return out;
}

int PathManager::path_strikes(const crypto::Ed25519PublicKey& guard) const {
    const auto it = path_strikes_.find(guard);
    return it == path_strikes_.end() ? 0 : it->second;
}

int PathManager::node_strikes(const crypto::Ed25519PublicKey& node) const {
    const auto it = node_strikes_.find(node);
    return it == node_strikes_.end() ? 0 : it->second;
}

std::optional<NodeInfo> PathManager::pick_relay(
    const Path& path, crypto::RandomSource& random,
    const std::optional<crypto::Ed25519PublicKey>& exclude) const {
    std::set<std::uint32_t> used_subnets;
    for (const auto& n : path)
        used_subnets.insert(n.subnet24());
    const auto current_guards = guards();
    const auto allowed = [&](const NodeInfo& n) {
        return !on_path(path, n.ed25519) && !(exclude && n.ed25519 == *exclude) &&
               std::find(current_guards.begin(), current_guards.end(), n.ed25519) ==
                   current_guards.end() &&
               !(config_.enforce_subnet_diversity && used_subnets.count(n.subnet24()));
    };
    // Uniform over the allowed nodes either way. Rejection sampling costs O(1) draws when most
    // nodes are allowed (a real pool: all but a handful); the scan covers tiny or exhausted
    // pools, where draws would keep missing.
    const auto& nodes = pool_.nodes();
    if (nodes.empty())
        return std::nullopt;
    for (int draw = 0; draw < 32; ++draw) {
        const auto& n = nodes[random.uniform(nodes.size())];
        if (allowed(n))
            return n;
    }
    std::vector<const NodeInfo*> candidates;
    for (const auto& n : nodes) {
        if (allowed(n))
            candidates.push_back(&n);
    }
    if (candidates.empty())
        return std::nullopt;
    return *candidates[random.uniform(candidates.size())];
}

std::optional<Path> PathManager::build_one(crypto::RandomSource& random) const {
    Path path;
    const auto guard = pick_relay(path, random, std::nullopt);  // not an existing guard
    if (!guard)
        return std::nullopt;
    path.push_back(*guard);
    while (path.size() < config_.path_length) {
        const auto relay = pick_relay(path, random, std::nullopt);
        if (!relay)
            return std::nullopt;
        path.push_back(*relay);
    }
    return path;
}

bool PathManager::build(crypto::RandomSource& random) {
    while (paths_.size() < config_.path_count) {
        // Random draws can dead-end (all remaining /24s used): try afresh a few times.
        std::optional<Path> path;
        for (int attempt = 0; attempt < config_.path_build_attempts && !path; ++attempt) {
            path = build_one(random);
        }
        if (!path)
            return false;
        paths_.push_back(std::move(*path));
        ++paths_built_;
    }
    return true;
}

std::optional<Path> PathManager::path_for(const crypto::Ed25519PublicKey& destination,
                                          crypto::RandomSource& random) {
    if (config_.fresh_paths)  // no guards: every request a new random path (a what-if mode)
        return one_off_path(config_.path_length, destination, random);
    build(random);
    std::vector<const Path*> usable;
    for (const auto& p : paths_) {
        if (!on_path(p, destination))
            usable.push_back(&p);
    }
    if (!usable.empty())
        return *usable[random.uniform(usable.size())];
    // Every path holds the destination (tiny networks): a one-off path around it.
    return one_off_path(config_.path_length, destination, random);
}

std::optional<Path> PathManager::one_off_path(std::size_t length,
                                              const crypto::Ed25519PublicKey& destination,
                                              crypto::RandomSource& random) const {
    Path path;
    while (path.size() < length) {
        const auto relay = pick_relay(path, random, destination);
        if (!relay)
            return std::nullopt;
        path.push_back(*relay);
    }
    return path;
}

void PathManager::drop_path_of_guard(const crypto::Ed25519PublicKey& guard) {
    const auto before = paths_.size();
    paths_.erase(std::remove_if(paths_.begin(), paths_.end(),
                                [&](const Path& p) { return p.front().ed25519 == guard; }),
                 paths_.end());
    paths_dropped_ += before - paths_.size();
    path_strikes_.erase(guard);
}

void PathManager::drop_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random) {
    pool_.remove(node);
    node_strikes_.erase(node);
    drop_path_of_guard(node);
    for (auto& path : paths_) {
        for (std::size_t i = 1; i < path.size(); ++i) {
            if (path[i].ed25519 != node)
                continue;
            Path rest = path;
            rest.erase(rest.begin() + static_cast<long>(i));
            if (const auto replacement = pick_relay(rest, random, std::nullopt))
                path[i] = *replacement;
        }
    }
    // A path that could not be patched still holds the dropped node: rebuild it.
    const auto before = paths_.size();
    paths_.erase(std::remove_if(paths_.begin(), paths_.end(),
                                [&](const Path& p) { return on_path(p, node); }),
                 paths_.end());
    paths_dropped_ += before - paths_.size();
}

void PathManager::report_failure(const Path& path, PathFailure failure,
                                 const std::optional<crypto::Ed25519PublicKey>& node,
                                 crypto::RandomSource& random) {
    if (path.empty())
        return;
    switch (failure) {
        case PathFailure::timeout:
        case PathFailure::bad_response: {
            const auto& guard = path.front().ed25519;
            const bool current = std::any_of(paths_.begin(), paths_.end(), [&](const Path& p) {
                return p.front().ed25519 == guard;
            });
            if (!current)
                return;  // a one-off path: nothing to keep count of
            if (++path_strikes_[guard] >= config_.path_strike_threshold) {
                drop_path_of_guard(guard);
                pool_.remove(guard);  // a guard that fails its path is not used again
            }
            break;
        }
        case PathFailure::node_not_found:
            if (node)
                drop_node(*node, random);
            break;
        case PathFailure::node_unreachable:
            if (node && ++node_strikes_[*node] >= config_.node_strike_threshold)
                drop_node(*node, random);
            break;
    }
    build(random);
}

}  // namespace sessionsim::client
