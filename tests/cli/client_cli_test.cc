// sessionsim client new | status and sessionsim testbed registry: the account a phrase names,
// the swarm the registry gives it, and precise errors for bad input. (Sending and polling against
// live node processes are in tests/testbed/loopback_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/identity/keys.h"
#include "models/identity/mnemonic.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/scratch.h"

namespace sessionsim::test {
namespace {

namespace fs = std::filesystem;

TEST(ClientCli, NewGivesAPhraseThatNamesTheSessionIdItPrints) {
    const auto r = run({"client", "new"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    const auto seed = identity::mnemonic::decode_phrase(j.at("phrase").get<std::string>()).bytes;
    ASSERT_EQ(seed.size(), 16u);
    const auto id = identity::Identity::from_account_seed(identity::AccountSeed::from(seed));
    EXPECT_EQ(j.at("session_id"), id.session_id().to_hex());
}

TEST(ClientCli, StatusNamesTheSwarmTheRegistryGivesTheAccount) {
    const auto dir = sessionsim::test::scratch_path("client-cli");
    fs::create_directories(dir);
    const auto registry = (dir / "registry.json").string();
    const auto made =
        run({"testbed", "registry", "--nodes", "30", "--seed", "3", "--out", registry});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const auto account = nlohmann::json::parse(run({"client", "new"}).out);
    const auto r = run({"client", "--registry", registry, "--phrase",
                        account.at("phrase").get<std::string>(), "status"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("session_id"), account.at("session_id"));
    EXPECT_GE(j.at("members").size(), 5u);
    fs::remove_all(dir);
}

TEST(ClientCli, ABadPhraseOrAMissingRegistryIsABadInputError) {
    const auto bad_phrase = run({"client", "--registry", "/nonexistent.json", "--phrase",
                                 "not a real phrase at all", "status"});
    EXPECT_EQ(bad_phrase.exit_code, 2);
    EXPECT_NE(bad_phrase.err.find("error:"), std::string::npos) << bad_phrase.err;
    const auto account = nlohmann::json::parse(run({"client", "new"}).out);
    const auto no_registry = run({"client", "--registry", "/nonexistent.json", "--phrase",
                                  account.at("phrase").get<std::string>(), "status"});
    EXPECT_EQ(no_registry.exit_code, 2);
    EXPECT_NE(no_registry.err.find("/nonexistent.json"), std::string::npos) << no_registry.err;
}

}  // namespace
}  // namespace sessionsim::test
