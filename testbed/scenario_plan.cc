#include "testbed/scenario_plan.h"

#include "models/common/errors.h"
#include "sim/scenario/network_plan.h"

namespace sessionsim::testbed {

namespace {
RegistryLocation location_of(const net::PlacedHost& host) {
    return {host.location.country, host.location.city};
}

}  // namespace

TestbedPlan plan_testbed(const scenario::Scenario& sc, const std::string& shared_dir,
                         std::uint16_t port, const std::string& netns_prefix) {
    const auto seed = static_cast<std::uint64_t>(sc.integer("seed"));
    crypto::SeededRandom random(seed, "scenario");  // the stream the simulator places with
    const auto network = scenario::plan_network(sc, shared_dir, random);
    const auto n_nodes = static_cast<std::size_t>(sc.integer("network.service_nodes"));
    if (n_nodes > 2'000)
        throw InvalidInput(sc.source() + ": network.service_nodes: a testbed on one machine " +
                           "runs at most 2,000 node processes");
    TestbedPlan plan;
    if (netns_prefix.empty()) {
        plan.registry = Registry::make(n_nodes, seed, port);
    } else {
        std::vector<std::uint32_t> addresses;
        for (std::size_t i = 0; i < n_nodes; ++i)
            addresses.push_back(network.nodes[i].ipv4);
        plan.registry = Registry::make(addresses, seed, port);
        plan.registry.netns = netns_prefix;
        for (std::size_t c = 0; c < network.clients.size(); ++c) {
            const auto ip = (10u << 24) | (200u << 16) |
                            static_cast<std::uint32_t>((c / 250) << 8 | (c % 250 + 1));
            plan.registry.clients.push_back({c, ip, location_of(network.clients[c])});
        }
    }
    for (std::size_t i = 0; i < n_nodes; ++i)
        plan.registry.nodes[i].location = location_of(network.nodes[i]);

    // Pairs with a node in them: clients only ever talk to nodes.
    std::vector<net::Location> hosts;
    for (std::size_t i = 0; i < n_nodes; ++i)
        hosts.push_back(network.nodes[i].location);
    for (std::size_t c = 0; c < plan.registry.clients.size(); ++c)
        hosts.push_back(network.clients[c].location);
    plan.rtt_ms.assign(hosts.size(), std::vector<double>(hosts.size(), 0));
    for (std::size_t a = 0; a < n_nodes; ++a) {
        for (std::size_t b = a + 1; b < hosts.size(); ++b)
            plan.rtt_ms[a][b] = plan.rtt_ms[b][a] = network.model->rtt_ms(hosts[a], hosts[b]);
    }
    return plan;
}

}  // namespace sessionsim::testbed
