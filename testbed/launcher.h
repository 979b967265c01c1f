// `sessionsim testbed up|down` on loopback: starts a registry's nodes as background processes of
// the running sessionsim binary (logs, databases and a pid file in one folder), waits until each
// listens, and stops them with SIGTERM (SIGKILL after a grace period).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "testbed/registry_file.h"

namespace sessionsim::testbed {

struct LaunchedNode {
    std::size_t index = 0;
    int pid = 0;
};

/// Writes `dir`/registry.json (from `registry`), starts every node with its log and database in
/// `dir`, records them in `dir`/nodes.pid and returns them once all listen. Throws InvalidInput
/// if a node does not listen within `start_timeout` (the others are stopped again).
std::vector<LaunchedNode> launch_nodes(const Registry& registry, const std::string& dir,
                                       std::chrono::milliseconds start_timeout);

/// Stops what `dir`/nodes.pid lists; returns how many were running.
std::size_t stop_nodes(const std::string& dir, std::chrono::milliseconds grace);

}  // namespace sessionsim::testbed
