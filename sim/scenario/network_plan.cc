#include "sim/scenario/network_plan.h"

namespace sessionsim::scenario {

std::unique_ptr<net::LatencyModel> latency_model(const Scenario& sc, const std::string& shared_dir,
                                                 const net::MeasuredLatency*& cities) {
    const std::string& kind = sc.text("network.latency_model");
    try {
        if (kind == "uniform")
            return std::make_unique<net::UniformLatency>(sc.number("network.uniform_one_way_ms"));
        if (kind == "matrix") {
            if (sc.text("network.matrix_file").empty()) {
                throw ScenarioError(
                    sc.source() + ": network.matrix_file: required by latency_model = \"matrix\"");
            }
            return std::make_unique<net::MatrixLatency>(sc.text("network.matrix_file"));
        }
        auto m = std::make_unique<net::MeasuredLatency>(
            net::MeasuredLatencyOptions{.data_dir = shared_dir + "/data"});
        cities = m.get();
        return m;
    } catch (const net::DataError& e) {
        throw ScenarioError(sc.source() + ": network.latency_model: " + e.what());
    }
}

NetworkPlan plan_network(const Scenario& sc, const std::string& shared_dir,
                         crypto::RandomSource& random) {
    NetworkPlan plan;
    plan.model = latency_model(sc, shared_dir, plan.cities);
    const auto n_nodes =
        static_cast<std::size_t>(sc.integer("network.service_nodes") + sc.integer("churn.joins"));
    const auto providers = net::default_node_providers();
    plan.nodes = net::place_hosts(
        n_nodes, net::default_node_countries(), plan.cities,
        {.hosts_per_subnet = static_cast<std::size_t>(sc.integer("network.nodes_per_subnet")),
         .first_address = 0x0a000000,
         .providers = &providers},
        random);
    plan.clients = net::place_hosts(static_cast<std::size_t>(sc.integer("network.clients")),
                                    net::default_client_countries(), plan.cities,
                                    {.hosts_per_subnet = 1, .first_address = 0x14000000}, random);
    return plan;
}

}  // namespace sessionsim::scenario
