#include "sim/scenario/runner.h"

#include <ns3/core-module.h>

#include "models/crypto/mode.h"

#include "sim/scenario/central_run.h"
#include "sim/scenario/feature_registry.h"
#include "sim/scenario/network_plan.h"
#include "sim/scenario/session_network.h"
#include "sim/scenario/session_results.h"
#include "sim/scenario/session_run.h"
#include "sim/scenario/timing_wheel_scheduler.h"

namespace sessionsim::scenario {
namespace {

/// A Session run: the network is built phase by phase, each phase followed by the features'
/// hook for it (feature.h), then the event loop, then the results.
RunReport run_session(SessionRun& run, std::ostream& progress) {
    run.features = make_features(run);
    for (const auto& f : run.features)
        f->place(run);
    run.wan = build_network(run.sc, run.hosts, *run.plan.model, run.seed);
    start_service_nodes(run);
    for (const auto& f : run.features)
        f->install(run);
    start_churn(run);
    start_clients(run);
    for (const auto& f : run.features)
        f->schedule(run);

    const auto cost = run_simulation(run.options, progress, run.wall_start, run.duration_s);
    for (const auto& f : run.features)
        f->finish(run);
    judge_messages(run);
    auto report = summarize_run(run);
    ns3::Simulator::Destroy();
    write_run_results(run, report.summary, cost);
    return report;
}

}  // namespace

RunReport simulate(const Scenario& sc, const RunOptions& options, std::ostream& progress) {
    // A scenario error thrown half-way must not leave this run's nodes in ns-3's global node
    // list, where the next run in the same process would start them (and crash on their
    // dangling state). Destroy is idempotent: the normal path calls it earlier.
    struct DestroyOnExit {
        ~DestroyOnExit() { ns3::Simulator::Destroy(); }
    } destroy_on_exit;
    const auto wall_start = RunClock::now();
    use_timing_wheel_scheduler();  // the same results as ns-3's default, at any size
    const auto seed = static_cast<std::uint64_t>(sc.integer("seed"));
    ns3::RngSeedManager::SetSeed(static_cast<std::uint32_t>(seed % 4294967295ULL) + 1);
    ns3::RngSeedManager::SetRun(1);
    crypto::SeededRandom random(seed, "scenario");
    // Every primitive the run calls, set-up to results, uses the scenario's crypto mode.
    const crypto::CryptoModeScope crypto_mode(*crypto::parse_crypto_mode(sc.text("crypto")));

    // Both messengers share the placement of the clients (and so their latencies).
    auto plan = plan_network(sc, options.shared_dir, random);
    if (sc.text("messenger") == "central")
        return run_central(sc, options, progress,
                           {wall_start, seed, *plan.model, plan.cities, plan.clients});
    SessionRun run(sc, options, wall_start, seed, random, std::move(plan));
    return run_session(run, progress);
}

nlohmann::ordered_json run_scenario(const Scenario& sc, const RunOptions& options,
                                    std::ostream& progress) {
    return simulate(sc, options, progress).summary;
}

}  // namespace sessionsim::scenario
