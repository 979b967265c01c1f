// §3.4 durability without repair, measured through the whole simulator: service nodes leave for
// good after exponential lifetimes of mean L, the registry is off (no decommissions, no
// rebalancing, so nothing re-creates a lost replica), and most clients are offline, so messages
// wait in their swarms until the end T. A message stored at t on the r running members of a
// swarm has no copy left at T with probability (1 - e^{-(T - t)/L})^r.
//
// Messages to one swarm are not independent trials: any member alive at T was alive at every
// earlier store, so they are all lost exactly when the whole swarm has died. The trials are
// therefore the swarms, each judged at its first stored message (the probability above,
// conditioned on what had happened by then); every later message to it must share its fate.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "sim/net/csv_table.h"
#include "sim/scenario/runner.h"
#include "tests/support/scratch.h"
#include "tests/support/validation.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;

// T / L near 3 puts the loss probability of a 5-7 member swarm near 0.7, where a count of
// Bernoulli trials estimates it with the smallest relative error; the run is short so that many
// swarms fit in a few seconds.
constexpr double kEndS = 600;
constexpr double kLifetimeS = 200;
constexpr int kServiceNodes = 3150;  // 450 swarms
constexpr int kClients = 900;        // 765 offline recipients cover about 370 of them

TEST(DurabilityValidation, LossWithoutRepairIsOneMinusExpToTheReplicaCount) {
    const auto dir = sessionsim::test::scratch_path("durability");
    fs::remove_all(dir);
    const auto sc = Scenario::load(
        std::nullopt,
        {"client.profile=composite", "network.service_nodes=" + std::to_string(kServiceNodes),
         "network.clients=" + std::to_string(kClients), "duration_s=" + std::to_string(kEndS),
         "warmup_s=5", "network.latency_model=uniform", "network.uniform_one_way_ms=30",
         "registry.enabled=false", "churn.keep_database=false",
         "churn.lifetime_mean_s=" + std::to_string(kLifetimeS), "workload.offline_fraction=0.85",
         "workload.send_until_s=60", "workload.message_interval_s=1.5", "client.poll_interval_s=60",
         "client.message_ttl_s=86400"});
    std::ostringstream quiet;
    const auto summary =
        run_scenario(sc, {dir.string(), (test::vectors_dir() / "..").string(), false}, quiet);

    const auto table = net::load_csv((dir / "messages.csv").string());
    const auto stored_col = table.column("stored_s");
    const auto fate_col = table.column("fate");
    const auto swarm_col = table.column("recipient_swarm");
    const auto replicas_col = table.column("swarm_up_at_store");
    struct Trial {
        double stored_s = 0, replicas = 0;
        bool lost = false;
    };
    std::map<std::string, Trial> swarms;  // recipient swarm -> its first waiting message
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& fate = table.rows[i][fate_col];
        // Waiting for an offline recipient, or lost while waiting; every other fate is a message
        // to an online recipient, who polled long before its copies could all go.
        const bool lost = fate == "lost: every copy destroyed";
        if (fate != "awaiting_recipient" && !lost)
            continue;
        const Trial t{net::number_field(table, i, stored_col),
                      net::number_field(table, i, replicas_col), lost};
        ASSERT_GE(t.replicas, 1) << "row " << i;
        auto [it, first] = swarms.emplace(table.rows[i][swarm_col], t);
        if (!first) {
            EXPECT_EQ(it->second.lost, t.lost) << "swarm " << it->first << ", row " << i
                                               << ": messages to one swarm share their fate";
            if (t.stored_s < it->second.stored_s)
                it->second = t;
        }
    }
    double lost = 0, expected = 0, variance = 0;
    for (const auto& [swarm, t] : swarms) {
        const double p = std::pow(1 - std::exp(-(kEndS - t.stored_s) / kLifetimeS), t.replicas);
        expected += p;
        variance += p * (1 - p);
        lost += t.lost;
    }
    std::printf(
        "[validation] %zu swarms held messages for offline recipients; run %.0f s, "
        "node lifetime %.0f s, no repair\n",
        swarms.size(), kEndS, kLifetimeS);
    ASSERT_GE(swarms.size(), 300u);
    ASSERT_GT(expected, 150) << "the scenario no longer loses enough swarms to test";
    // A sum of independent Bernoulli trials: its standard error is sqrt(sum p (1 - p)).
    test::expect_estimate("swarms whose messages have no copy left, sum of (1 - e^{-(T - t)/L})^r",
                          lost, expected, std::sqrt(variance), static_cast<double>(swarms.size()));
    EXPECT_EQ(summary.at("survival").at("lost_by_reason").value("whole swarm down", 0), 0)
        << "without a database nothing survives a crash on disk";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sessionsim::scenario
