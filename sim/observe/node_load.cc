#include "sim/observe/node_load.h"

#include <algorithm>
#include <cmath>

namespace sessionsim::observe {

std::string_view traffic_type_name(TrafficType type) {
    static constexpr std::array<std::string_view, kTrafficTypes> names{
        "relay",       "store",     "poll",         "group_store", "group_keys", "group_poll",
        "group_admin", "get_swarm", "server_relay", "other",       "rejected"};
    return names[static_cast<std::size_t>(type)];
}

TrafficType classify(const node::HopView& view) {
    using Outcome = node::HopView::Outcome;
    switch (view.outcome) {
        case Outcome::forwarded:
            return TrafficType::relay;
        case Outcome::to_server:
            return TrafficType::server_relay;
        case Outcome::rejected:
            return TrafficType::rejected;
        case Outcome::executed:
            break;
    }
    const bool group = view.account.rfind("03", 0) == 0;
    const auto has = [&](std::string_view m) { return view.method.find(m) != std::string::npos; };
    if (has("revoke_subaccount"))
        return TrafficType::group_admin;
    if (has("store")) {
        if (!group)
            return TrafficType::store;
        return view.ns == 12 ? TrafficType::group_keys : TrafficType::group_store;
    }
    if (has("retrieve"))
        return group ? TrafficType::group_poll : TrafficType::poll;
    if (has("get_swarm") || has("get_snodes_for_pubkey"))
        return TrafficType::get_swarm;
    return TrafficType::other;
}

void NodeLoad::record(std::size_t node, const node::HopView& view) {
    if (node >= counts_.size())
        return;
    const auto t = static_cast<std::size_t>(classify(view));
    ++counts_[node][t];
    bytes_[node][t] += view.layer_bytes;
}

nlohmann::ordered_json NodeLoad::summary(double duration_s) const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    const double hours = duration_s / 3600;
    const double n = static_cast<double>(std::max<std::size_t>(counts_.size(), 1));
    for (std::size_t t = 0; t < kTrafficTypes; ++t) {
        std::uint64_t requests = 0, bytes = 0, busiest = 0;
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            requests += counts_[i][t];
            bytes += bytes_[i][t];
            busiest = std::max(busiest, counts_[i][t]);
        }
        if (requests == 0)
            continue;
        out[std::string(traffic_type_name(static_cast<TrafficType>(t)))] = {
            {"requests", requests},
            {"bytes", bytes},
            {"per_node_hour", std::round(static_cast<double>(requests) / n / hours * 10) / 10},
            {"busiest_node_per_hour", std::round(static_cast<double>(busiest) / hours * 10) / 10}};
    }
    return out;
}

void NodeLoad::write_csv(std::ostream& out) const {
    out << "node,type,requests,bytes\n";
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        for (std::size_t t = 0; t < kTrafficTypes; ++t) {
            if (counts_[i][t] == 0)
                continue;
            out << i << ',' << traffic_type_name(static_cast<TrafficType>(t)) << ','
                << counts_[i][t] << ',' << bytes_[i][t] << '\n';
        }
    }
}

}  // namespace sessionsim::observe
