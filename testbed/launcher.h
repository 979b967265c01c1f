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

/// The SQLite message database of node `index` of the testbed in `dir`.
std::string node_database(const std::string& dir, std::size_t index);

/// Writes `dir`/registry.json (from `registry`), starts every node with its log and database in
/// `dir`, records them in `dir`/nodes.pid and returns them once all listen. Throws InvalidInput
/// if a node does not listen within `start_timeout` (the others are stopped again).
std::vector<LaunchedNode> launch_nodes(const Registry& registry, const std::string& dir,
                                       std::chrono::milliseconds start_timeout);

/// Starts the namespace testbed's WAN emulator (`sessionsim testbed wan`) in the background
/// and waits until its devices are up. Throws InvalidInput if it does not come up.
void launch_wan(const std::string& dir, std::chrono::milliseconds start_timeout);

/// Kills node `index` of the testbed in `dir` with SIGKILL (a crash: no clean shutdown) and
/// waits until it is gone.
void kill_node(const std::string& dir, std::size_t index);

/// Starts nodes `indices` again (same databases, registry and addresses), all at once; true
/// once all listen.
bool restart_nodes(const std::string& dir, const std::vector<std::size_t>& indices,
                   std::chrono::milliseconds start_timeout);

/// Stops a namespace testbed's WAN emulator and removes its namespaces (nothing on loopback).
void stop_network(const std::string& dir);

/// Stops what `dir`/nodes.pid lists and removes a namespace testbed's namespaces; returns how
/// many nodes were running.
std::size_t stop_nodes(const std::string& dir, std::chrono::milliseconds grace);

}  // namespace sessionsim::testbed
