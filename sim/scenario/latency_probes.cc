#include "sim/scenario/latency_probes.h"

#include <ns3/simulator.h>
#include <cmath>
#include <sstream>
#include <string>

#include "sim/scenario/poisson.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

std::vector<std::size_t> probe_hops(const Scenario& sc) {
    std::vector<std::size_t> out;
    std::stringstream list(sc.text("workload.probe_hops"));
    std::string item;
    while (std::getline(list, item, ',')) {
        try {
            std::size_t used = 0;
            const int h = std::stoi(item, &used);
            if (used != item.size() || h < 0 || h > 15)
                throw std::invalid_argument(item);
            out.push_back(static_cast<std::size_t>(h));
        } catch (const std::exception&) {
            throw ScenarioError(sc.source() + ": workload.probe_hops: '" + item +
                                "' is not a path length from 0 (direct) to 15");
        }
    }
    if (out.empty())
        throw ScenarioError(sc.source() + ": workload.probe_hops: empty list");
    return out;
}

LatencyProbes::LatencyProbes(const Scenario& sc) : gap_s_(sc.number("workload.probe_interval_s")) {}

void LatencyProbes::schedule(SessionRun& run) {
    const auto hop_counts = probe_hops(run.sc);
    const double warmup = run.sc.number("warmup_s");
    auto& random = run.random;
    for (std::size_t c = 0; c < run.n_clients; ++c) {
        if (run.offline[c])
            continue;
        poisson_arrivals(random, warmup, gap_s_, run.duration_s, [&](double t) {
            const auto draw = random.next_u64();  // which active node, at probe time
            ns3::Simulator::Schedule(ns3::Seconds(t), [&run, c, draw, hop_counts] {
                const auto& pool_nodes = run.directory->pool.nodes();
                for (const auto hops : hop_counts)
                    run.clients[c]->Probe(pool_nodes[draw % pool_nodes.size()], hops);
            });
        });
    }
}

}  // namespace sessionsim::scenario
