// sessionsim run: same scenario and seed give byte-identical results; a small network delivers
// every message; bad scenarios fail with the file, key and reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/runner.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/files.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;
using test::slurp;

std::string shared_dir() {
    return (test::vectors_dir() / "..").string();
}

const std::vector<std::string> kSmall{"network.service_nodes=24",
                                      "network.clients=8",
                                      "duration_s=90",
                                      "warmup_s=5",
                                      "workload.message_interval_s=15",
                                      "network.latency_model=uniform",
                                      "network.uniform_one_way_ms=30"};

TEST(Runner, SameSeedGivesByteIdenticalResults) {
    const auto dir = fs::temp_directory_path() / "sessionsim-runner-determinism";
    fs::remove_all(dir);
    const auto sc = Scenario::load(std::nullopt, kSmall);
    std::ostringstream quiet;
    run_scenario(sc, {(dir / "a").string(), shared_dir(), false}, quiet);
    run_scenario(sc, {(dir / "b").string(), shared_dir(), false}, quiet);
    for (const char* f : {"config.toml", "summary.json", "messages.csv", "requests.csv"}) {
        const auto a = slurp(dir / "a" / f);
        EXPECT_FALSE(a.empty()) << f;
        EXPECT_EQ(a, slurp(dir / "b" / f)) << f;
    }
    auto other = kSmall;
    other.push_back("seed=2");
    run_scenario(Scenario::load(std::nullopt, other), {(dir / "c").string(), shared_dir(), false},
                 quiet);
    EXPECT_NE(slurp(dir / "a" / "requests.csv"), slurp(dir / "c" / "requests.csv"));
    const auto provenance = nlohmann::json::parse(slurp(dir / "a" / "provenance.json"));
    EXPECT_EQ(provenance.at("seed"), 1);
    EXPECT_TRUE(provenance.contains("wall_clock_s"));
    EXPECT_FALSE(provenance.at("version").get<std::string>().empty());
    fs::remove_all(dir);
}

TEST(Runner, SmallUniformNetworkDeliversEverythingSentBeforeTheLastPoll) {
    const auto dir = fs::temp_directory_path() / "sessionsim-runner-delivery";
    std::ostringstream quiet;
    const auto summary = run_scenario(Scenario::load(std::nullopt, kSmall),
                                      {dir.string(), shared_dir(), false}, quiet);
    EXPECT_EQ(summary.at("messages").at("failed"), 0);
    EXPECT_EQ(summary.at("onion_requests").at("timeouts"), 0);
    // With one-way 30 ms, a warm 3-hop request takes 240 ms; nothing can be faster.
    EXPECT_GE(summary.at("onion_rtt_ms").at("p50").get<double>(), 240.0);
    // Every message sent more than a poll interval (+ a request) before the end is delivered.
    std::ifstream csv(dir / "messages.csv");
    std::string line;
    std::getline(csv, line);
    int checked = 0;
    while (std::getline(csv, line)) {
        std::stringstream row(line);
        std::string id, sent;
        std::getline(row, id, ',');
        std::getline(row, sent, ',');
        if (std::stod(sent) < 90 - 8) {
            EXPECT_NE(line.find(",delivered"), std::string::npos) << line;
            ++checked;
        }
    }
    EXPECT_GT(checked, 10);
    fs::remove_all(dir);
}

TEST(RunCli, BadScenariosExit2WithFileKeyAndReason) {
    const auto path = fs::temp_directory_path() / "sessionsim-bad.toml";
    std::ofstream(path) << "[network]\nservice_node = 10\n";
    const auto r = test::run({"run", path.string(), "--quiet"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "error: " + path.string() +
                  ": network.service_node: unknown key (did you mean 'network.service_nodes'?)\n");
    const auto s = test::run({"run", "--set", "network.latency_model=matrix", "--quiet"});
    EXPECT_EQ(s.exit_code, 2);
    EXPECT_NE(s.err.find("network.matrix_file: required"), std::string::npos) << s.err;
    fs::remove(path);
}

}  // namespace
}  // namespace sessionsim::scenario
