#include "models/client/path_manager.h"

#include <algorithm>
#include <set>
#include <utility>

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

std::vector<crypto::Ed25519PublicKey> PathManager::taken_guards() const {
    auto out = guards();
    for (const auto& p : candidates_)
        out.push_back(p.front().ed25519);
    return out;
}

int PathManager::count_strikes(const Strikes& strikes, const crypto::Ed25519PublicKey& key,
                               std::int64_t now_ms) const {
    const auto it = strikes.find(key);
    if (it == strikes.end())
        return 0;
    if (config_.strike_expiry_ms <= 0)
        return static_cast<int>(it->second.size());
    return static_cast<int>(std::count_if(it->second.begin(), it->second.end(), [&](auto at) {
        return now_ms - at < config_.strike_expiry_ms;
    }));
}

int PathManager::add_strike(Strikes& strikes, const crypto::Ed25519PublicKey& key,
                            std::int64_t now_ms) {
    auto& times = strikes[key];
    if (config_.strike_expiry_ms > 0)  // forget what no longer counts
        std::erase_if(times, [&](auto at) { return now_ms - at >= config_.strike_expiry_ms; });
    times.push_back(now_ms);
    return static_cast<int>(times.size());
}

int PathManager::path_strikes(const crypto::Ed25519PublicKey& guard, std::int64_t now_ms) const {
    return count_strikes(path_strikes_, guard, now_ms);
}

int PathManager::node_strikes(const crypto::Ed25519PublicKey& node, std::int64_t now_ms) const {
    return count_strikes(node_strikes_, node, now_ms);
}

std::optional<NodeInfo> PathManager::pick_relay(
    const Path& path, crypto::RandomSource& random,
    const std::optional<crypto::Ed25519PublicKey>& exclude) const {
    using Diversity = ClientConfig::SubnetDiversity;
    std::set<std::uint32_t> used_subnets;
    for (const auto& n : path)
        used_subnets.insert(n.subnet24());
    if (config_.subnet_diversity == Diversity::all_paths) {
        for (const auto* kept : {&paths_, &candidates_}) {
            for (const auto& other : *kept) {
                for (const auto& n : other)
                    used_subnets.insert(n.subnet24());
            }
        }
    }
    const auto current_guards = taken_guards();
    const auto allowed = [&](const NodeInfo& n) {
        return !on_path(path, n.ed25519) && !(exclude && n.ed25519 == *exclude) &&
               std::find(current_guards.begin(), current_guards.end(), n.ed25519) ==
                   current_guards.end() &&
               !(config_.subnet_diversity != Diversity::none && used_subnets.count(n.subnet24()));
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

bool PathManager::build(crypto::RandomSource& random, std::int64_t now_ms) {
    while (paths_.size() + candidates_.size() < config_.path_count) {
        // Random draws can dead-end (all remaining /24s used): try afresh a few times.
        std::optional<Path> path;
        for (int attempt = 0; attempt < config_.path_build_attempts && !path; ++attempt) {
            path = build_one(random);
        }
        if (!path)
            return false;
        if (config_.guard_test != ClientConfig::GuardTest::none) {
            to_test_.push_back(path->front());
            candidates_.push_back(std::move(*path));
            continue;
        }
        served_[path->front().ed25519] = {now_ms, now_ms};
        paths_.push_back(std::move(*path));
        ++paths_built_;
    }
    return true;
}

std::vector<NodeInfo> PathManager::take_guards_to_test() {
    return std::exchange(to_test_, {});
}

void PathManager::guard_test_passed(const crypto::Ed25519PublicKey& guard, std::int64_t now_ms) {
    const auto it = std::find_if(candidates_.begin(), candidates_.end(),
                                 [&](const Path& p) { return p.front().ed25519 == guard; });
    if (it == candidates_.end())
        return;  // its path was given up meanwhile
    failed_tests_ = 0;
    served_[guard] = {now_ms, now_ms};
    paths_.push_back(std::move(*it));
    candidates_.erase(it);
    ++paths_built_;
}

bool PathManager::guard_test_failed(const crypto::Ed25519PublicKey& guard,
                                    crypto::RandomSource& random, std::int64_t now_ms) {
    std::erase_if(candidates_, [&](const Path& p) { return p.front().ed25519 == guard; });
    if (config_.guard_test_failure_strikes)
        strike_node(guard, random, now_ms);
    if (++failed_tests_ >= config_.guard_test_attempts) {
        failed_tests_ = 0;
        return false;
    }
    build(random, now_ms);
    return true;
}

void PathManager::use_own_rotation_stream(crypto::RandomSource& random) {
    rotation_random_.emplace(random.bytes<32>());
}

void PathManager::rotate(crypto::RandomSource& shared_random, std::int64_t now_ms) {
    crypto::RandomSource& random = rotation_random_ ? *rotation_random_ : shared_random;
    for (std::size_t i = 0; i < paths_.size();) {
        const auto guard = paths_[i].front().ed25519;
        auto& served = served_[guard];
        if (config_.guard_lifetime_ms > 0 &&
            now_ms - served.guard_ms >= config_.guard_lifetime_ms) {
            served_.erase(guard);
            paths_.erase(paths_.begin() + static_cast<long>(i));
            ++paths_dropped_;
            continue;  // build() draws a new guard
        }
        if (config_.path_rotation_ms > 0 && now_ms - served.relays_ms >= config_.path_rotation_ms) {
            Path fresh{paths_[i].front()};
            paths_[i].resize(1);  // the old relays no longer count against the new ones
            while (fresh.size() < config_.path_length) {
                const auto relay = pick_relay(fresh, random, std::nullopt);
                if (!relay)
                    break;
                fresh.push_back(*relay);
            }
            if (fresh.size() == config_.path_length) {
                paths_[i] = std::move(fresh);
                served.relays_ms = now_ms;
                ++paths_rotated_;
            } else {  // no relays left to rotate to: the path goes
                served_.erase(guard);
                paths_.erase(paths_.begin() + static_cast<long>(i));
                ++paths_dropped_;
                continue;
            }
        }
        ++i;
    }
}

std::optional<Path> PathManager::path_for(const crypto::Ed25519PublicKey& destination,
                                          crypto::RandomSource& random, std::int64_t now_ms) {
    if (config_.fresh_paths)  // no guards: every request a new random path (a what-if mode)
        return one_off_path(config_.path_length, destination, random);
    if (config_.path_rotation_ms > 0 || config_.guard_lifetime_ms > 0)
        rotate(random, now_ms);
    build(random, now_ms);
    std::vector<const Path*> usable;
    for (const auto& p : paths_) {
        if (!on_path(p, destination))
            usable.push_back(&p);
    }
    if (!usable.empty())
        return *usable[random.uniform(usable.size())];
    if (paths_.empty() && !candidates_.empty())
        return std::nullopt;  // the paths are being tested: the request waits
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

void PathManager::drop_path_of_guard(crypto::Ed25519PublicKey guard) {
    const auto before = paths_.size();
    paths_.erase(std::remove_if(paths_.begin(), paths_.end(),
                                [&](const Path& p) { return p.front().ed25519 == guard; }),
                 paths_.end());
    paths_dropped_ += before - paths_.size();
    path_strikes_.erase(guard);
    served_.erase(guard);
}

void PathManager::drop_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random) {
    pool_.remove(node);
    if (config_.strike_expiry_ms <= 0)
        node_strikes_.erase(node);  // otherwise kept: it keeps the node out until it expires
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

void PathManager::strike_node(const crypto::Ed25519PublicKey& node, crypto::RandomSource& random,
                              std::int64_t now_ms) {
    if (add_strike(node_strikes_, node, now_ms) >= config_.node_strike_threshold)
        drop_node(node, random);
}

const Path* PathManager::kept_path(const crypto::Ed25519PublicKey& guard) const {
    const auto it = std::find_if(paths_.begin(), paths_.end(),
                                 [&](const Path& p) { return p.front().ed25519 == guard; });
    return it == paths_.end() ? nullptr : &*it;
}

void PathManager::connection_lost(crypto::Ed25519PublicKey guard, crypto::RandomSource& random,
                                  std::int64_t now_ms) {
    if (config_.connection_loss != ClientConfig::ConnectionLoss::drops_path)
        return;
    const Path* current = kept_path(guard);
    if (!current)
        return;  // not a kept path's guard: a probed node, or a guard still under test
    const Path nodes = *current;
    // As if the path had failed path_strike_threshold times (libsession sets its strike count
    // to the threshold): dropped, its guard out, and its nodes struck as a drop strikes them.
    drop_path_of_guard(guard);
    pool_.remove(guard);
    strike_path_nodes(nodes, /*timeout=*/false, /*dropped=*/true, random, now_ms);
    build(random, now_ms);
}

void PathManager::strike_path_nodes(const Path& nodes, bool timeout, bool dropped,
                                    crypto::RandomSource& random, std::int64_t now_ms) {
    using Scope = ClientConfig::PathFailureStrikes;
    std::size_t first = nodes.size(), last = nodes.size();
    if (timeout && config_.timeout_strikes == ClientConfig::TimeoutStrikes::path_and_guard) {
        first = 0, last = 1;
    } else if (config_.path_failure_strikes == Scope::relays) {
        first = 1;
    } else if (config_.path_failure_strikes == Scope::all_nodes ||
               (config_.path_failure_strikes == Scope::all_nodes_when_dropped && dropped)) {
        first = 0;
    }
    for (std::size_t i = first; i < last; ++i)
        strike_node(nodes[i].ed25519, random, now_ms);
}

void PathManager::report_failure(const Path& path, PathFailure failure,
                                 const std::optional<crypto::Ed25519PublicKey>& node,
                                 crypto::RandomSource& random, std::int64_t now_ms) {
    if (path.empty())
        return;
    using Timeouts = ClientConfig::TimeoutStrikes;
    const bool timeout = failure == PathFailure::timeout;
    switch (failure) {
        case PathFailure::timeout:
        case PathFailure::bad_response: {
            if (timeout && config_.timeout_strikes == Timeouts::none)
                break;
            const auto& guard = path.front().ed25519;
            const Path* current = kept_path(guard);
            if (!current)
                return;  // a one-off path: nothing to keep count of
            // The nodes of the path as it stands now (a struck relay may have been patched).
            const Path nodes = *current;
            const bool dropped =
                add_strike(path_strikes_, guard, now_ms) >= config_.path_strike_threshold;
            if (dropped) {
                drop_path_of_guard(guard);
                pool_.remove(guard);  // a guard that fails its path is not used again
            }
            strike_path_nodes(nodes, timeout, dropped, random, now_ms);
            break;
        }
        case PathFailure::node_not_found:
            if (node)
                drop_node(*node, random);
            break;
        case PathFailure::node_unreachable:
            if (node)
                strike_node(*node, random, now_ms);
            break;
    }
    build(random, now_ms);
}

void PathManager::on_pool_refresh(std::int64_t now_ms) {
    if (config_.strikes_cleared_on_refresh) {
        path_strikes_.clear();
        node_strikes_.clear();
        return;
    }
    if (config_.strike_expiry_ms <= 0)
        return;
    for (const auto& [node, times] : node_strikes_) {
        if (count_strikes(node_strikes_, node, now_ms) >= config_.node_strike_threshold)
            pool_.remove(node);
    }
}

}  // namespace sessionsim::client
