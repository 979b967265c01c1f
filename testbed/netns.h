// The namespace testbed's network: every node in its own Linux network namespace, the clients
// in one more (each with its own address). Each namespace has one TUN device, tun0, carrying
// 10.0.0.0/8; the WAN emulator (testbed/wan_emulator.h) holds the other end of every tun0 and
// delivers each packet after the one-way delay of its (source, destination) pair. Nothing
// outside these namespaces is touched. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN), iproute2's
// `ip` and /dev/net/tun.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "testbed/registry_file.h"

namespace sessionsim::testbed {

/// Round-trip times between hosts, ms: hosts are the registry's nodes, then its clients
/// (client-to-client entries are 0: clients talk to nodes only).
using RttMatrix = std::vector<std::vector<double>>;

/// The device every testbed namespace reaches the others through.
inline constexpr const char* kTunDevice = "tun0";

/// Namespace names of a testbed whose registry has prefix `prefix`.
std::string node_namespace(const std::string& prefix, std::size_t index);
std::string clients_namespace(const std::string& prefix);

/// A short prefix for the testbed kept in `dir` ("ssim" and a hash of its absolute path), so
/// two testbeds in two folders do not collide.
std::string netns_prefix_for(const std::string& dir);

/// Empty if this process can build a namespace testbed here, else why not (not root, no `ip`
/// or no /dev/net/tun, namespaces refused).
std::string netns_unavailable_reason();

/// Creates the namespaces of `registry` (its netns prefix set) with loopback up, logging every
/// command to `log_path`. Leftover namespaces of the same names (a testbed that was not taken
/// down) are removed first. Throws InvalidInput naming the command that failed.
void create_namespaces(const Registry& registry, const std::string& log_path);

/// Gives namespace `ns`'s tun0 `addresses` (each /8) and brings it up.
void configure_tun(const std::string& ns, const std::vector<std::uint32_t>& addresses,
                   const std::string& log_path);

/// Removes the testbed's namespaces (with their links); returns how many existed.
std::size_t remove_namespaces(const Registry& registry);

/// Moves the calling thread into namespace `name` (sockets it opens from then on live there).
/// Throws InvalidInput if it cannot.
void enter_namespace(const std::string& name);

}  // namespace sessionsim::testbed
