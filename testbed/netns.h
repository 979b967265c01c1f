// The namespace testbed's network: every node in its own Linux network namespace, the clients
// in one more (each with its own address), all joined by veth pairs to a bridge in a hub
// namespace, and on every host's egress one netem delay per destination, half the round-trip
// time the simulator's latency model gives that pair, as the simulator's channel does. Nothing
// outside these namespaces is touched: the host's own interfaces, routes and qdiscs stay as
// they are. Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's `ip` and `tc`.
#pragma once

#include <string>
#include <vector>

#include "testbed/registry_file.h"

namespace sessionsim::testbed {

/// Round-trip times between hosts, ms: hosts are the registry's nodes, then its clients.
using RttMatrix = std::vector<std::vector<double>>;

/// Namespace names of a testbed whose registry has prefix `prefix`.
std::string node_namespace(const std::string& prefix, std::size_t index);
std::string clients_namespace(const std::string& prefix);
std::string hub_namespace(const std::string& prefix);

/// A short prefix for the testbed kept in `dir` ("ssim" and a hash of its absolute path), so
/// two testbeds in two folders do not collide.
std::string netns_prefix_for(const std::string& dir);

/// Empty if this process can build a namespace testbed here, else why not (not root, no `ip`
/// or `tc`, namespaces refused).
std::string netns_unavailable_reason();

/// Builds the namespaces, links, addresses and delays of `registry` (its netns prefix set),
/// logging every command to `log_path`. Leftover namespaces of the same names (a testbed that
/// was not taken down) are removed first. Throws InvalidInput naming the command that failed.
void build_namespaces(const Registry& registry, const RttMatrix& rtt_ms,
                      const std::string& log_path);

/// Removes the testbed's namespaces (with their links); returns how many existed.
std::size_t remove_namespaces(const Registry& registry);

/// Moves the calling thread into namespace `name` (sockets it opens from then on live there).
/// Throws InvalidInput if it cannot.
void enter_namespace(const std::string& name);

}  // namespace sessionsim::testbed
