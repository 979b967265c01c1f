// Scenario files: defaults, files, overrides, and errors that name the file, key and reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/scenario/scenario_config.h"
#include "tests/support/scratch.h"

namespace sessionsim::scenario {
namespace {

std::string write(const std::string& name, const std::string& text) {
    const auto path = sessionsim::test::scratch_path(name);
    std::ofstream(path) << text;
    return path.string();
}

std::string error_of(const std::optional<std::string>& path,
                     const std::vector<std::string>& overrides = {}) {
    try {
        Scenario::load(path, overrides);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

TEST(ScenarioConfig, DefaultsFileAndOverrides) {
    const auto d = Scenario::load(std::nullopt);
    EXPECT_EQ(d.integer("network.service_nodes"), 300);
    EXPECT_EQ(d.text("clients.profile_mix"), "android=0.5 ios=0.3 desktop=0.2");
    EXPECT_THROW(d.text("onion.enc_type"), ScenarioError);  // each client's, from its profile
    EXPECT_EQ(Scenario::load(std::nullopt, {"client.profile=composite"}).text("onion.enc_type"),
              "xchacha20");
    const auto path = write(
        "sessionsim-ok.toml",
        "seed = 9\nduration_s = 30\n[network]\nservice_nodes = 50\nlatency_model = \"uniform\"\n"
        "uniform_one_way_ms = 12.5\n[onion]\nhops = 4\n");
    const auto s = Scenario::load(
        path, {"network.clients=20", "onion.enc_type=aes-gcm", "client.poll_interval_s=2"});
    EXPECT_EQ(s.integer("seed"), 9);
    EXPECT_DOUBLE_EQ(s.number("duration_s"), 30.0);  // an integer where a number is expected
    EXPECT_EQ(s.integer("network.service_nodes"), 50);
    EXPECT_EQ(s.integer("network.clients"), 20);
    EXPECT_EQ(s.text("onion.enc_type"), "aes-gcm");  // a bare word is a string
    EXPECT_DOUBLE_EQ(s.number("client.poll_interval_s"), 2.0);
    EXPECT_EQ(s.integer("onion.hops"), 4);
    // The resolved TOML loads back to the same values.
    const auto again = Scenario::load(write("sessionsim-resolved.toml", s.to_toml()));
    EXPECT_EQ(again.values(), s.values());
}

TEST(ScenarioConfig, ErrorsNameFileKeyAndReason) {
    const auto typo = write("sessionsim-typo.toml", "[network]\nclient = 5\n");
    EXPECT_EQ(error_of(typo),
              typo + ": network.client: unknown key (did you mean 'network.clients'?)");
    const auto range = write("sessionsim-range.toml", "[network]\nclients = 1\n");
    EXPECT_EQ(error_of(range),
              range + ": network.clients: must be an integer from 2 to 1000000, got 1");
    const auto type = write("sessionsim-type.toml", "[onion]\nhops = \"three\"\n");
    EXPECT_EQ(error_of(type),
              type + ": onion.hops: must be an integer from 1 to 15, got string \"three\"");
    const auto choice = write("sessionsim-choice.toml", "[network]\nlatency_model = \"fast\"\n");
    EXPECT_NE(error_of(choice).find("one of: measured uniform matrix, got \"fast\""),
              std::string::npos);
    const auto syntax = write("sessionsim-syntax.toml", "[network\nclients = 5\n");
    EXPECT_EQ(error_of(syntax).rfind(syntax + ":1:", 0), 0u) << error_of(syntax);
    EXPECT_EQ(error_of(std::nullopt, {"onion.hops=0"}),
              "--set: onion.hops: must be an integer from 1 to 15, got 0");
    EXPECT_EQ(error_of(std::nullopt, {"nonsense"}), "--set nonsense: expected key=value");
    EXPECT_NE(error_of("/no/such/file.toml").find("/no/such/file.toml"), std::string::npos);
    const auto table_value = write("sessionsim-table.toml", "network = 5\n");
    EXPECT_NE(error_of(table_value).find("network: unknown key"), std::string::npos);
}

}  // namespace
}  // namespace sessionsim::scenario
