// Whole runs in both crypto modes (models/crypto/mode.h): the same scenario and seed with
// crypto = "real" and crypto = "modelled" must write the same results. No results column holds a
// hash, a signature or ciphertext, so every file must be byte-identical except config.toml and
// provenance.json, which differ exactly in the crypto line (and provenance in what the host
// measured: wall time, memory). Each case covers users of the primitives the mode replaces:
// onion layers and storage signatures (all), sealed one-to-one messages, group keys and
// subaccounts, blinded community signatures, push subscriptions, the file server, hostile relays
// that corrupt layers and replies, the centralized operator's logins, the message level.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/net/csv_table.h"
#include "sim/scenario/runner.h"
#include "tests/support/scratch.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;

struct Case {
    const char* name;
    const char* scenario;  ///< file under scenarios/, or "" for the built-in default
    std::vector<std::string> overrides;
    const char* covers;
};

// Test names, not the bytes of the parameter, in ctest's listing.
void PrintTo(const Case& c, std::ostream* out) {
    *out << c.name;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The lines of `text` that contain none of `varying`.
std::string without_lines(const std::string& text, const std::vector<std::string>& varying) {
    std::istringstream in(text);
    std::string out;
    for (std::string line; std::getline(in, line);) {
        const bool varies = std::any_of(varying.begin(), varying.end(), [&](const auto& v) {
            return line.find(v) != std::string::npos;
        });
        if (!varies)
            out += line + "\n";
    }
    return out;
}

fs::path run_in(const Case& c, const std::string& mode) {
    const auto dir = sessionsim::test::scratch_path("crypto-" + std::string(c.name) + "-" + mode);
    fs::remove_all(dir);
    auto overrides = c.overrides;
    overrides.push_back("crypto=" + mode);
    std::optional<std::string> path;
    if (*c.scenario)
        path = std::string(SESSIONSIM_SCENARIOS_DIR) + "/" + c.scenario;
    std::ostringstream quiet;
    (void)run_scenario(Scenario::load(path, overrides),
                       {dir.string(), (test::vectors_dir() / "..").string(), false}, quiet);
    return dir;
}

class CryptoModeEquivalence : public ::testing::TestWithParam<Case> {};

TEST_P(CryptoModeEquivalence, EveryResultsFileIsTheSameInBothModes) {
    const Case& c = GetParam();
    const auto real = run_in(c, "real");
    const auto modelled = run_in(c, "modelled");
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(real)) {
        const auto name = entry.path().filename().string();
        const auto other = modelled / name;
        ASSERT_TRUE(fs::exists(other)) << name << " is missing in modelled mode";
        const std::string a = read_file(entry.path()), b = read_file(other);
        if (name == "config.toml") {
            EXPECT_NE(a.find("crypto = \"real\""), std::string::npos);
            EXPECT_NE(b.find("crypto = \"modelled\""), std::string::npos);
            EXPECT_EQ(without_lines(a, {"crypto ="}), without_lines(b, {"crypto ="}));
        } else if (name == "provenance.json") {
            EXPECT_NE(b.find("\"crypto\": \"modelled\""), std::string::npos);
            EXPECT_EQ(without_lines(a, {"\"crypto\"", "wall", "setup_s", "peak_rss", "per_wall"}),
                      without_lines(b, {"\"crypto\"", "wall", "setup_s", "peak_rss", "per_wall"}));
        } else {
            EXPECT_TRUE(a == b) << name << " differs between the modes (" << c.covers << ")";
        }
        ++compared;
    }
    EXPECT_EQ(compared, static_cast<std::size_t>(std::distance(fs::directory_iterator(modelled),
                                                               fs::directory_iterator())));
    // The comparison is between runs that did something: messages were delivered.
    const auto messages = net::load_csv((real / "messages.csv").string());
    const auto status = messages.column("status");
    const auto delivered =
        std::count_if(messages.rows.begin(), messages.rows.end(),
                      [&](const auto& row) { return row[status] == "delivered"; });
    EXPECT_GT(delivered, 0) << c.covers;
    fs::remove_all(real);
    fs::remove_all(modelled);
}

INSTANTIATE_TEST_SUITE_P(
    SmallRuns, CryptoModeEquivalence,
    ::testing::Values(
        Case{
            "OneToOne", "", {"duration_s=60"}, "onion layers, storage signatures, sealed messages"},
        Case{"GroupsCommunitiesFiles",
             "realistic-day.toml",
             {"duration_s=600", "behaviour.model=always_foreground", "network.service_nodes=100",
              "groups.message_interval_s=120", "communities.message_interval_s=60",
              "attachments.fraction=0.3"},
             "group keys, subaccounts, blinded signatures, the file server, the adversary"},
        Case{"CorruptingRelays",
             "hostile-nodes.toml",
             {"duration_s=120", "hostile.behaviour=corrupt"},
             "corrupted layers, keys and replies"},
        Case{"ForgedAcknowledgements",
             "hostile-nodes.toml",
             {"duration_s=120", "hostile.behaviour=forge_ack"},
             "forged store signatures"},
        Case{"Push",
             "push-vs-poll.toml",
             {"duration_s=300", "client.mode=push", "network.service_nodes=100",
              "network.clients=40", "workload.message_interval_s=60"},
             "push subscriptions and notifications"},
        Case{"CentralOperator",
             "central-vs-session.toml",
             {"messenger=central", "network.service_nodes=100", "duration_s=120"},
             "the operator's logins"},
        Case{"MessageLevelChurn",
             "churn.toml",
             {"duration_s=1200", "network.transport=message", "network.service_nodes=100"},
             "the message level, the registry, node churn"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sessionsim::scenario
