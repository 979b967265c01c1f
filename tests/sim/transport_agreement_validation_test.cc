// The message level against the packet level on whole runs (issue 26's agreement, CI-sized):
// one scenario and seed run once over ns-3's TCP/IP and once over the modelled connections.
// Onion RTT and delivery delay must agree (medians within 3%, 90th percentiles within 5%, KS
// distance at most 0.05) and the delivered and lost counts lie within the z = 4 interval of the
// difference between two binomial samples. scripts/transport-compare.sh runs the same at other
// sizes (docs/transport.md has the table).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "sim/net/csv_table.h"
#include "sim/scenario/runner.h"
#include "tests/support/scratch.h"
#include "tests/support/validation.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;

struct Run {
    nlohmann::json summary;
    std::vector<double> onion_rtt_ms;  // answered 3-hop workload requests
    std::vector<double> delivery_ms;
};

Run run_level(const std::string& level, const std::vector<std::string>& keys) {
    // Per test: ctest runs the tests of this file side by side.
    const auto dir = sessionsim::test::scratch_path(
        "transport-" + level + "-" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    auto with_level = keys;
    with_level.push_back("network.transport=" + level);
    std::ostringstream quiet;
    Run run;
    run.summary = run_scenario(Scenario::load(std::nullopt, with_level),
                               {dir.string(), (test::vectors_dir() / "..").string(), false}, quiet);
    const auto requests = net::load_csv((dir / "requests.csv").string());
    const auto hops = requests.column("hops"), status = requests.column("status"),
               probe = requests.column("probe"), rtt = requests.column("rtt_ms");
    for (std::size_t i = 0; i < requests.rows.size(); ++i) {
        const auto& r = requests.rows[i];
        if (r[hops] == "3" && r[status] == "200" && r[probe] == "0")
            run.onion_rtt_ms.push_back(net::number_field(requests, i, rtt));
    }
    const auto messages = net::load_csv((dir / "messages.csv").string());
    const auto sent = messages.column("sent_s"), delivered = messages.column("delivered_s");
    for (std::size_t i = 0; i < messages.rows.size(); ++i) {
        if (!messages.rows[i][delivered].empty())
            run.delivery_ms.push_back(
                (net::number_field(messages, i, delivered) - net::number_field(messages, i, sent)) *
                1000);
    }
    std::sort(run.onion_rtt_ms.begin(), run.onion_rtt_ms.end());
    std::sort(run.delivery_ms.begin(), run.delivery_ms.end());
    fs::remove_all(dir);
    return run;
}

double quantile(const std::vector<double>& sorted, double q) {
    const double at = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const auto above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double ks_distance(const std::vector<double>& a, const std::vector<double>& b) {
    std::size_t i = 0, j = 0;
    double worst = 0;
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        worst = std::max(worst, std::fabs(static_cast<double>(i) / a.size() -
                                          static_cast<double>(j) / b.size()));
    }
    return worst;
}

void expect_agreement(const std::string& what, const std::vector<double>& packet,
                      const std::vector<double>& message) {
    ASSERT_GT(packet.size(), 500u) << what;
    ASSERT_GT(message.size(), 500u) << what;
    const double median = quantile(message, 0.5) / quantile(packet, 0.5);
    const double p90 = quantile(message, 0.9) / quantile(packet, 0.9);
    const double ks = ks_distance(packet, message);
    std::printf("[validation] %s: %zu / %zu samples, median ratio %.4f, p90 ratio %.4f, KS %.4f\n",
                what.c_str(), packet.size(), message.size(), median, p90, ks);
    EXPECT_LE(std::fabs(median - 1), 0.03) << what << " median";
    EXPECT_LE(std::fabs(p90 - 1), 0.05) << what << " p90";
    EXPECT_LE(ks, 0.05) << what << " KS distance";
}

/// The message level's count of `n` trials against the packet level's, within the kZ interval
/// of a difference of two binomial counts (the standard error of that difference, from the
/// pooled proportion). The same seed makes the two runs correlated, so the interval is
/// conservative; counts that agree exactly always pass.
void expect_same_count(const std::string& what, double packet, double message, double n) {
    const double pooled = (packet + message) / (2 * n);
    test::expect_estimate(what + ", message vs packet level", message, packet,
                          std::sqrt(pooled * (1 - pooled) * 2 * n), n);
}

void expect_runs_agree(const std::vector<std::string>& keys) {
    const auto packet = run_level("packet", keys);
    const auto message = run_level("message", keys);
    expect_agreement("onion RTT, ms", packet.onion_rtt_ms, message.onion_rtt_ms);
    expect_agreement("delivery delay, ms", packet.delivery_ms, message.delivery_ms);
    const double sent = packet.summary.at("messages").at("sent").get<double>();
    EXPECT_EQ(message.summary.at("messages").at("sent").get<double>(), sent);
    for (const char* count : {"delivered", "lost"}) {
        expect_same_count(std::string("messages ") + count,
                          packet.summary.at("survival").at(count).get<double>(),
                          message.summary.at("survival").at(count).get<double>(), sent);
    }
}

TEST(TransportAgreementValidation, MessageLevelRunsMatchPacketLevelRuns) {
    // The default workload (today's client mix) on a measured-latency network of 60 nodes and
    // 150 clients.
    expect_runs_agree({"network.service_nodes=60", "network.clients=150", "duration_s=240",
                       "warmup_s=10", "workload.message_interval_s=30"});
}

TEST(TransportAgreementValidation, MessageLevelRunsMatchPacketLevelRunsThroughAProviderOutage) {
    // iOS clients (libsession's QUIC-style guard connections) through a 2-minute outage of 30%
    // of the largest provider's nodes. Recovery after it hangs on the retransmission timeouts
    // of the connections to the nodes that were down, and those on ns-3's RTT estimate: until
    // the message level measured RTTs as ns-3's timestamps do (docs/transport.md), delivery's
    // 90th percentile here was 3,230 ms at the message level against 4,110 at the packet level.
    expect_runs_agree({"network.service_nodes=120", "network.clients=150", "duration_s=420",
                       "clients.profile_mix=", "client.profile=ios",
                       "churn.outage_group=provider:Hetzner", "churn.outage_fraction=0.3",
                       "churn.outage_at_s=150", "churn.outage_duration_s=120"});
}

}  // namespace
}  // namespace sessionsim::scenario
