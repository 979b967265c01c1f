// V16: the centralized baseline through the simulator. A 2 h operator outage (25 Oct 2022)
// holds every message sent during it on the sender's device until the operator is back, so
// their mean extra delay is D/2 = 60 min plus the clients' reconnect granularity; and the
// operator's own log links the sender and recipient of every message (H = 0, linkage rate 1;
// metrics-and-validation.md §4, §1.5). Also: a central run is reproducible byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "sim/scenario/runner.h"
#include "tests/support/files.h"
#include "tests/support/scratch.h"
#include "tests/support/validation.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;

std::string shared_dir() {
    return (test::vectors_dir() / "..").string();
}

constexpr double kOutageS = 7200;

TEST(CentralBaselineValidation, OutageDelaysMessagesByHalfTheOutageAndTheOperatorSeesEveryPair) {
    const auto dir = sessionsim::test::scratch_path("central-v16");
    fs::remove_all(dir);
    const auto sc = Scenario::load(
        std::nullopt, {"messenger=central", "network.clients=60", "duration_s=8400", "warmup_s=5",
                       "workload.message_interval_s=60", "central.outage_at_s=600",
                       "central.outage_duration_s=7200", "network.latency_model=uniform",
                       "network.uniform_one_way_ms=40"});
    std::ostringstream quiet;
    const auto s = run_scenario(sc, {dir.string(), shared_dir(), false}, quiet);

    const auto& during = s.at("outage").at("during");
    const double n = during.at("sent").get<double>();
    ASSERT_GT(n, 1000);
    EXPECT_EQ(during.at("delivered"), during.at("sent"));  // delayed, not lost
    EXPECT_EQ(s.at("survival").at("lost"), 0);
    // Send times are uniform over the outage: the wait is uniform(0, D), standard error
    // D / sqrt(12 n). On top, each client notices the operator is back within one reconnect
    // interval, and a recipient within a keep-alive interval plus one reconnect; the interval
    // allows for that granularity on the upper side only.
    const double granularity = sc.number("client.request_timeout_s") +
                               2 * sc.number("central.reconnect_interval_s") +
                               2 * sc.number("central.keepalive_interval_s");
    // The expected value is the middle of [D/2, D/2 + granularity], the allowance its half-width.
    test::expect_estimate(
        "V16 mean extra delay of in-outage messages, s",
        s.at("outage").at("mean_extra_delay_s").get<double>(), kOutageS / 2 + granularity / 2,
        test::mean_standard_error(kOutageS / std::sqrt(12), n), n, granularity / 2);
    EXPECT_EQ(s.at("outage").at("expected_extra_delay_s"), kOutageS / 2);

    const auto& op = s.at("operator");
    std::printf(
        "[validation] V16 operator: sees %s of %s messages, linkage rate %s, sender "
        "entropy %s bits, social graph %s of %s edges\n",
        op.at("messages_seen").dump().c_str(), op.at("messages_sent").dump().c_str(),
        op.at("relationship_linkage_rate").dump().c_str(),
        op.at("mean_sender_entropy_bits").dump().c_str(),
        op.at("social_graph").at("recovered").dump().c_str(),
        op.at("social_graph").at("edges").dump().c_str());
    EXPECT_EQ(op.at("messages_seen"), op.at("messages_sent"));
    EXPECT_EQ(op.at("relationship_linkage_rate"), 1.0);
    EXPECT_EQ(op.at("sender_address_rate"), 1.0);
    EXPECT_EQ(op.at("mean_sender_entropy_bits"), 0.0);
    EXPECT_EQ(op.at("mean_recipient_entropy_bits"), 0.0);
    EXPECT_EQ(op.at("social_graph").at("fraction"), 1.0);
    fs::remove_all(dir);
}

TEST(CentralBaseline, SameSeedGivesByteIdenticalResults) {
    const auto dir = sessionsim::test::scratch_path("central-determinism");
    fs::remove_all(dir);
    const auto sc =
        Scenario::load(std::nullopt, {"messenger=central", "network.clients=20", "duration_s=120",
                                      "central.outage_at_s=30", "central.outage_duration_s=30"});
    std::ostringstream quiet;
    run_scenario(sc, {(dir / "a").string(), shared_dir(), false}, quiet);
    run_scenario(sc, {(dir / "b").string(), shared_dir(), false}, quiet);
    for (const char* f : {"summary.json", "messages.csv", "operator_log.csv", "hosts.csv"}) {
        const auto a = test::slurp(dir / "a" / f);
        EXPECT_FALSE(a.empty()) << f;
        EXPECT_EQ(a, test::slurp(dir / "b" / f)) << f;
    }
    fs::remove_all(dir);
}

TEST(CentralBaseline, ABadDataCentreListNamesTheKeyAndTheCountry) {
    std::ostringstream quiet;
    for (const auto& [list, expected] : std::vector<std::pair<std::string, std::string>>{
             {"US, XX", "central.datacentres: 'XX'"}, {" , ", "central.datacentres: give 1"}}) {
        try {
            run_scenario(
                Scenario::load(std::nullopt, {"messenger=central", "central.datacentres=" + list}),
                {"/tmp/unused", shared_dir(), false}, quiet);
            ADD_FAILURE() << list;
        } catch (const ScenarioError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace sessionsim::scenario
