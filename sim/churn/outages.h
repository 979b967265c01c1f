// When each service node is down: the failure processes a scenario combines. Independent ON/OFF
// churn per node, a trace file, a correlated outage of one provider / AS / country, and nodes
// that leave for good. All produce Outage intervals; normalize() merges them per node.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "models/crypto/random.h"
#include "sim/churn/lifetime.h"

namespace sessionsim::churn {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

struct Outage {
    std::size_t node = 0;
    double down_s = 0;
    double up_s = kNever;  ///< kNever: the node does not come back
    std::string cause;     ///< "churn", "trace", "outage", "exit"
};

/// Alternating up/down periods for nodes 0..nodes-1 over [0, horizon_s). Each process starts
/// far enough before 0 (ten mean cycles) to be in its stationary state at time 0, so a node
/// may already be down at 0.
std::vector<Outage> on_off_outages(std::size_t nodes, const Lifetime& up, const Lifetime& down,
                                   double horizon_s, crypto::RandomSource& random);

/// A trace file: CSV with header node,down_s,up_s (up_s empty: never returns). Throws
/// std::runtime_error naming the file and line for unknown nodes or bad times.
std::vector<Outage> trace_outages(const std::string& path, std::size_t nodes);

/// A correlated failure: `fraction` of the nodes whose group_of[i] == group (every node when
/// group is empty), chosen at random, go down at at_s for for_s seconds.
std::vector<Outage> group_outage(const std::vector<std::string>& group_of, const std::string& group,
                                 double fraction, double at_s, double for_s,
                                 crypto::RandomSource& random);

/// `fraction` of nodes leave for good, at uniformly random times in [0, horizon_s).
std::vector<Outage> permanent_exits(std::size_t nodes, double fraction, double horizon_s,
                                    crypto::RandomSource& random);

/// Merges overlapping intervals of each node (causes joined with '+') and orders the result by
/// start time, then node: the order the simulator schedules them in.
std::vector<Outage> normalize(std::vector<Outage> outages);

}  // namespace sessionsim::churn
