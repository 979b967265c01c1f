// Load on the service nodes by traffic type, from what each node handles (its HopView): relays,
// one-to-one stores and polls, group stores, key pushes and polls, swarm lookups, and relays to
// external servers (file server). What groups, attachments and polling schedules cost the network
// beyond the messages themselves.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/node/hop_view.h"

namespace sessionsim::observe {

enum class TrafficType : std::uint8_t {
    relay,         ///< a path hop passing a layer on
    store,         ///< store to a user's inbox
    poll,          ///< retrieve from a user's own swarm
    group_store,   ///< store to a group (namespace 11)
    group_keys,    ///< keys message pushed by an admin (namespace 12)
    group_poll,    ///< retrieve from a group's swarm
    group_admin,   ///< revoke_subaccount and other admin requests
    get_swarm,     ///< swarm lookups
    server_relay,  ///< exit hop to an external server (file server)
    other,         ///< info probes and anything else executed
    rejected,      ///< layers that did not decrypt or parse
};
inline constexpr std::size_t kTrafficTypes = 11;
std::string_view traffic_type_name(TrafficType type);
TrafficType classify(const node::HopView& view);

class NodeLoad {
public:
    explicit NodeLoad(std::size_t nodes) : counts_(nodes), bytes_(nodes) {}
    void record(std::size_t node, const node::HopView& view);

    /// Per type: requests, bytes, requests per node per hour (mean over nodes) and the busiest
    /// node's requests per hour.
    nlohmann::ordered_json summary(double duration_s) const;
    /// node,type,requests,bytes (types with no requests left out).
    void write_csv(std::ostream& out) const;

private:
    std::vector<std::array<std::uint64_t, kTrafficTypes>> counts_;
    std::vector<std::array<std::uint64_t, kTrafficTypes>> bytes_;
};

}  // namespace sessionsim::observe
