// Protocol-core primitives: recovery phrases, swarm choice, and oxend's rebalancing at network
// scale. Run: build/bin/bench_protocol (add --benchmark_format=json for machine-readable output).
#include <benchmark/benchmark.h>

#include <random>

#include "models/identity/mnemonic.h"
#include "models/swarm/assignment.h"
#include "models/swarm/new_swarm_id.h"
#include "models/swarm/swarm_selection.h"

namespace {

using namespace sessionsim;

swarm::NodeKey random_key(std::mt19937_64& rng) {
    swarm::NodeKey k;
    for (auto& b : k)
        b = static_cast<std::uint8_t>(rng());
    return k;
}

void BM_PhraseEncode13Words(benchmark::State& state) {
    std::mt19937_64 rng(1);
    Bytes seed(16);
    for (auto& b : seed)
        b = static_cast<std::uint8_t>(rng());
    for (auto _ : state)
        benchmark::DoNotOptimize(identity::mnemonic::encode_phrase(seed));
}
BENCHMARK(BM_PhraseEncode13Words);

void BM_PhraseDecode13Words(benchmark::State& state) {
    std::mt19937_64 rng(2);
    Bytes seed(16);
    for (auto& b : seed)
        b = static_cast<std::uint8_t>(rng());
    const std::string phrase = identity::mnemonic::encode_phrase(seed);
    for (auto _ : state)
        benchmark::DoNotOptimize(identity::mnemonic::decode_phrase(phrase));
}
BENCHMARK(BM_PhraseDecode13Words);

void BM_SwarmPick(benchmark::State& state) {
    std::mt19937_64 rng(3);
    std::vector<swarm::SwarmId> ids;
    while (ids.size() < static_cast<std::size_t>(state.range(0)))
        ids.push_back(swarm::new_swarm_id(ids)), std::sort(ids.begin(), ids.end());
    std::uint64_t v = rng();
    for (auto _ : state) {
        benchmark::DoNotOptimize(swarm::closest_swarm(ids, v));
        v += 0x9e3779b97f4a7c15ULL;
    }
}
BENCHMARK(BM_SwarmPick)->Arg(300);

/// 2,000 service nodes registering in one block: oxend's worst case for a fresh network.
void BM_RebalanceRegister2000InOneBlock(benchmark::State& state) {
    std::mt19937_64 rng(4);
    swarm::SwarmAssignment fresh;
    for (int i = 0; i < 2000; ++i)
        fresh[random_key(rng)] = swarm::kUnassignedSwarmId;
    std::size_t swarms = 0;
    for (auto _ : state) {
        auto nodes = fresh;
        swarm::rebalance_assignment(nodes, 42);
        swarms = swarm::swarm_ids(nodes).size();
        benchmark::DoNotOptimize(nodes);
    }
    state.counters["swarms"] = static_cast<double>(swarms);
}
BENCHMARK(BM_RebalanceRegister2000InOneBlock)->Unit(benchmark::kMillisecond);

/// A steady-state block on a 2,000-node network: 20 nodes leave and 20 join, then a full
/// rebalance (what the registry runs for every block that changes the active set).
void BM_RebalanceChurnBlockOn2000(benchmark::State& state) {
    std::mt19937_64 rng(5);
    swarm::SwarmAssignment network;
    for (int i = 0; i < 2000; ++i)
        network[random_key(rng)] = swarm::kUnassignedSwarmId;
    swarm::rebalance_assignment(network, 1);
    for (auto _ : state) {
        state.PauseTiming();
        auto nodes = network;
        for (int i = 0; i < 20; ++i) {
            nodes.erase(std::next(nodes.begin(), static_cast<long>(rng() % nodes.size())));
            nodes[random_key(rng)] = swarm::kUnassignedSwarmId;
        }
        state.ResumeTiming();
        swarm::rebalance_assignment(nodes, rng());
        benchmark::DoNotOptimize(nodes);
    }
}
BENCHMARK(BM_RebalanceChurnBlockOn2000)->Unit(benchmark::kMillisecond);

}  // namespace
