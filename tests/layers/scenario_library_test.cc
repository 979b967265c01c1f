// The scenario library on its own: this executable links sessionsim_scenario and nothing of the
// simulator, and lays out the default scenario as both drivers do (network, offline clients,
// messages, client settings, fates). Were any of it to need ns-3, this would not link.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/crypto/random.h"
#include "sim/scenario/client_settings.h"
#include "sim/scenario/message_plan.h"
#include "sim/scenario/network_plan.h"
#include "sim/scenario/scenario_config.h"
#include "sim/scenario/survival.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

std::string shared_dir() {
    return (test::vectors_dir() / "..").string();
}

TEST(ScenarioLibrary, LaysOutTheDefaultScenarioWithoutTheSimulator) {
    const auto sc = Scenario::load(std::nullopt, {"client.profile=composite"});
    const auto seed = static_cast<std::uint64_t>(sc.integer("seed"));
    crypto::SeededRandom placement(seed, "scenario");
    const auto network = plan_network(sc, shared_dir(), placement);
    EXPECT_EQ(network.nodes.size(), static_cast<std::size_t>(sc.integer("network.service_nodes")));
    ASSERT_EQ(network.clients.size(), static_cast<std::size_t>(sc.integer("network.clients")));

    const auto offline = offline_clients(sc, network.clients.size(), seed);
    EXPECT_EQ(std::count(offline.begin(), offline.end(), true), 0);
    const auto config = client_settings_for(sc, sc.text("client.profile"), false).config;
    std::vector<MessageRecord> messages;
    crypto::SeededRandom workload(seed, "workload");
    plan_messages(sc, offline, static_cast<int>(config.path_length), workload, messages);
    // `sessionsim run` with no scenario sends these 627 messages (611 of them delivered).
    EXPECT_EQ(messages.size(), 627u);
    const double until = std::min(sc.number("duration_s"), sc.number("workload.send_until_s"));
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        EXPECT_EQ(m.id, i);
        EXPECT_NE(m.sender, m.recipient);
        EXPECT_LT(m.recipient, offline.size());
        EXPECT_GE(m.sent_s, sc.number("warmup_s"));
        EXPECT_LT(m.sent_s, until);
        EXPECT_EQ(m.hops, 3);
        EXPECT_EQ(message_id_of(message_text(m.id, m.bytes)), m.id);
        EXPECT_EQ(message_text(m.id, m.bytes).size(), m.bytes);
    }

    // Judged by the simulator's rules, never acknowledged: the last one sent is pending (it may
    // still arrive), the first is lost. (The plan is sender by sender, not in time order.)
    const auto by_time = [](const MessageRecord& a, const MessageRecord& b) {
        return a.sent_s < b.sent_s;
    };
    const auto rules = survival_rules(sc, sc.number("duration_s"), config.poll_interval_ms / 1e3);
    EXPECT_EQ(message_fate(*std::max_element(messages.begin(), messages.end(), by_time), {}, rules),
              "pending");
    EXPECT_EQ(message_fate(*std::min_element(messages.begin(), messages.end(), by_time), {}, rules),
              "lost: never stored");
}

TEST(ScenarioLibrary, DrawsGroupMembersAmongOnlineClientsOnly) {
    const auto sc = Scenario::load(std::nullopt, {"workload.offline_fraction=0.5"});
    const auto offline = offline_clients(sc, 10, 1);
    EXPECT_EQ(std::count(offline.begin(), offline.end(), true), 5);
    crypto::SeededRandom random(1, "groups");
    for (const auto& members : draw_members(sc, "groups.members", 3, 5, offline, random)) {
        for (const auto c : members)
            EXPECT_FALSE(offline[c]);
    }
    EXPECT_THROW(draw_members(sc, "groups.members", 1, 6, offline, random), ScenarioError);
}

}  // namespace
}  // namespace sessionsim::scenario
