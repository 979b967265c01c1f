// client.profile and clients.profile_mix: how a scenario resolves per-profile keys, deals
// profiles to clients, and refuses what makes no sense (scenario library only, no ns-3).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "sim/scenario/client_settings.h"
#include "sim/scenario/schema.h"

namespace sessionsim::scenario {
namespace {

TEST(ClientSettings, TheSchemaDefaultOfEveryPerProfileKeyIsTheCompositeValue) {
    const auto* composite = client::find_client_profile("composite");
    for (const auto& key : profile_keys()) {
        const auto* spec = find_key(key.key);
        ASSERT_NE(spec, nullptr) << key.key << " is not in the schema";
        EXPECT_EQ(spec->default_value, key.read(*composite)) << key.key;
        EXPECT_EQ(spec->meaning.rfind("Per profile.", 0), 0u)
            << key.key << ": its meaning must say it depends on the profile";
    }
    std::size_t marked = 0;
    for (const auto& spec : schema())
        marked += spec.meaning.rfind("Per profile.", 0) == 0;
    EXPECT_EQ(marked, profile_keys().size()) << "a key says \"Per profile\" but is not one";
}

TEST(ClientSettings, AProfileSetsItsKeysAndAnExplicitKeyWins) {
    const auto sc = Scenario::load(std::nullopt, {"client.profile=android", "client.poll_nodes=3"});
    EXPECT_EQ(sc.number("client.poll_interval_s"), 2.0);
    EXPECT_EQ(sc.text("onion.enc_type"), "aes-gcm");
    EXPECT_EQ(sc.integer("client.poll_nodes"), 3);
    const auto s = client_settings_for(sc, "android", false);
    EXPECT_EQ(s.config.poll_interval_ms, 2'000);
    EXPECT_EQ(s.config.poll_nodes, 3u);
    EXPECT_EQ(s.config.poll_retry_max_ms, 10'000);
    EXPECT_EQ(s.driver.idle_timeout_ms, 300'000);
    // The resolved config.toml names the profile's values, so it runs the same again.
    const auto toml = sc.to_toml();
    EXPECT_NE(toml.find("poll_interval_s = 2.0"), std::string::npos);
    EXPECT_NE(toml.find("enc_type = \"aes-gcm\""), std::string::npos);
}

TEST(ClientSettings, AMixLeavesPerProfileKeysToEachClient) {
    const auto sc = Scenario::load(
        std::nullopt,
        {"clients.profile_mix=android=0.5 ios=0.3 desktop=0.2", "client.request_timeout_s=7"});
    EXPECT_EQ(profiles_in_use(sc), (std::vector<std::string>{"android", "ios", "desktop"}));
    EXPECT_THROW(sc.number("client.poll_interval_s"), ScenarioError);
    try {
        sc.number("client.poll_interval_s");
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("depends on the client profile"), std::string::npos);
    }
    EXPECT_EQ(client_settings_for(sc, "ios", false).config.poll_interval_ms, 1'500);
    EXPECT_EQ(client_settings_for(sc, "desktop", false).config.poll_interval_ms, 5'000);
    for (const auto* name : {"android", "ios", "desktop"})
        EXPECT_EQ(client_settings_for(sc, name, false).config.request_timeout_ms, 7'000)
            << "a key set in the scenario applies to every profile";
    EXPECT_EQ(largest_client_value(sc, "client.poll_interval_s"), 5.0);
    const auto toml = sc.to_toml();
    EXPECT_NE(toml.find("# poll_interval_s: per client"), std::string::npos);
    EXPECT_NE(toml.find("request_timeout_s = 7.0"), std::string::npos);
}

TEST(ClientSettings, AMixDealsWholeClientsFromItsOwnStream) {
    const auto sc =
        Scenario::load(std::nullopt, {"clients.profile_mix=android=0.5, ios=0.3, desktop=0.2"});
    const auto plan = client_profile_plan(sc, 1001, 7);
    std::map<std::string, int> count;
    for (const auto& p : plan)
        ++count[p];
    // 500.5, 300.3, 200.2: the largest remainder (android's .5) takes the last client.
    EXPECT_EQ(count["android"], 501);
    EXPECT_EQ(count["ios"], 300);
    EXPECT_EQ(count["desktop"], 200);
    EXPECT_EQ(client_profile_plan(sc, 1001, 7), plan) << "same seed, same deal";
    EXPECT_NE(client_profile_plan(sc, 1001, 8), plan) << "another seed, another deal";
    const auto single = Scenario::load(std::nullopt, {"client.profile=ios"});
    const auto all_ios = client_profile_plan(single, 10, 7);
    EXPECT_TRUE(std::all_of(all_ios.begin(), all_ios.end(),
                            [](const std::string& p) { return p == "ios"; }));
}

TEST(ClientSettings, NonsenseGetsTheKeyAndTheReason) {
    const auto message = [](std::vector<std::string> overrides) {
        try {
            Scenario::load(std::nullopt, overrides);
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message({"clients.profile_mix=android=0.5 toaster=0.5"}),
              "--set: clients.profile_mix: 'toaster=0.5': expected profile=share, profile one "
              "of: composite desktop android ios libsession");
    EXPECT_EQ(message({"clients.profile_mix=android=-1"}),
              "--set: clients.profile_mix: 'android=-1': the share must be a number above 0");
    EXPECT_EQ(message({"clients.profile_mix=android=1 android=2"}),
              "--set: clients.profile_mix: profile 'android' is named twice");
    EXPECT_EQ(message({"client.profile=ios", "clients.profile_mix=android=1"}),
              "--set: clients.profile_mix: set either client.profile (one profile for every "
              "client) or clients.profile_mix, not both");
    EXPECT_EQ(message({"client.poll_namespaces=0,x"}),
              "--set: client.poll_namespaces: 'x' is not a namespace (an integer from -32768 to "
              "32767)");
    EXPECT_NE(message({"client.profile=windows-phone"}).find("one of: composite desktop"),
              std::string::npos);
}

TEST(ClientSettings, AScenarioFileNamesItselfInErrors) {
    const std::string path = ::testing::TempDir() + "/mix.toml";
    std::ofstream(path) << "[clients]\nprofile_mix = \"ios=0\"\n";
    try {
        Scenario::load(path);
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": clients.profile_mix: 'ios=0': the share must be a number above 0");
    }
}

}  // namespace
}  // namespace sessionsim::scenario
