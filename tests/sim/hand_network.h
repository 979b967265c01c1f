// A hand-built network for the adversary and network-dynamics tests: eight service nodes and
// three clients whose every attribute (country, address, provider) is chosen here, so that the
// tests can work their expected values out by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/net/placement.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

inline constexpr std::uint32_t ip(std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                  std::uint32_t d) {
    return a << 24 | b << 16 | c << 8 | d;
}

/// Eight service nodes: two pairs share a /24 (0-1 and 6-7), three providers hold several nodes.
///   0 DE Hetzner 10.0.0.1   1 DE Hetzner 10.0.0.2   2 FI Hetzner 10.0.1.1   3 US OVH 10.0.2.1
///   4 FR OVH     10.0.3.1   5 NL local-NL 10.0.4.1  6 SG Vultr   10.0.5.1   7 SG Vultr 10.0.5.2
inline std::vector<net::PlacedHost> eight_nodes() {
    return {{{"DE", -1}, ip(10, 0, 0, 1), "Hetzner"}, {{"DE", -1}, ip(10, 0, 0, 2), "Hetzner"},
            {{"FI", -1}, ip(10, 0, 1, 1), "Hetzner"}, {{"US", -1}, ip(10, 0, 2, 1), "OVH"},
            {{"FR", -1}, ip(10, 0, 3, 1), "OVH"},     {{"NL", -1}, ip(10, 0, 4, 1), "local-NL"},
            {{"SG", -1}, ip(10, 0, 5, 1), "Vultr"},   {{"SG", -1}, ip(10, 0, 5, 2), "Vultr"}};
}

inline const std::uint32_t kAlice = ip(20, 0, 0, 1), kBob = ip(20, 0, 1, 1),
                           kCarol = ip(20, 0, 2, 1);

/// Alice in Germany, Bob in the US, Carol in France, each at their own ISP.
inline std::vector<net::PlacedHost> three_clients() {
    return {{{"DE", -1}, kAlice, "isp-DE"},
            {{"US", -1}, kBob, "isp-US"},
            {{"FR", -1}, kCarol, "isp-FR"}};
}

inline const std::string kDave = "05" + std::string(64, 'd'), kErin = "05" + std::string(64, 'e');

/// The scenario of eight nodes and three clients with `keys` on top.
inline Scenario scenario(std::vector<std::string> keys) {
    keys.insert(keys.begin(), {"network.service_nodes=8", "network.clients=3"});
    return Scenario::load(std::nullopt, keys);
}

}  // namespace sessionsim::scenario
