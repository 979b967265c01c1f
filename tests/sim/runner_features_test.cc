// sessionsim run with the features a scenario can add: groups, attachments, push,
// communities, background phones, hostile nodes, resource samples.
#include <gtest/gtest.h>

#include <ns3/node-list.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/net/csv_table.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/schema.h"
#include "tests/cli/cli_runner.h"
#include "tests/sim/runner_support.h"
#include "tests/support/files.h"
#include "tests/support/vectors.h"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;
using test::slurp;
using namespace test_runner;

TEST(RunnerGroups, GroupMessagesReachTheMembersAndARemovedMemberReadsNothingAfter) {
    fs::path dir;
    const auto s = run_small("sessionsim-runner-groups",
                             {"groups.count=2", "groups.members=4", "groups.message_interval_s=6",
                              "groups.remove_member_at_s=40", "adversary.endpoint=0"},
                             &dir);
    const auto& g = s.at("groups");
    EXPECT_EQ(g.at("groups"), 2);
    EXPECT_GT(g.at("messages").get<int>(), 10);
    EXPECT_EQ(g.at("messages_not_sent_no_key"), 0);
    EXPECT_EQ(g.at("delivery_ratio"), 1.0) << g.dump();
    EXPECT_EQ(g.at("members_removed"), 2);
    EXPECT_EQ(g.at("keys_messages"), 4) << "one at creation and one at the removal, per group";
    EXPECT_EQ(g.at("read_after_removal"), 0);
    const auto table = net::load_csv((dir / "group_messages.csv").string());
    EXPECT_EQ(table.rows.size(), g.at("deliveries_expected").get<std::size_t>());
    EXPECT_GT(s.at("clients").at("requests_per_client_hour").get<double>(), 0);

    // The compromised device reads every message it sent or received, in clear.
    const auto& e = s.at("endpoint");
    const auto endpoint = net::load_csv((dir / "endpoint.csv").string());
    EXPECT_EQ(endpoint.rows.size(), e.at("messages_read_in_clear").get<std::size_t>());
    std::size_t expected = 0;
    const auto direct = net::load_csv((dir / "messages.csv").string());
    const auto sender = direct.column("sender"), recipient = direct.column("recipient"),
               status = direct.column("status");
    for (const auto& row : direct.rows)
        expected += (row[sender] == "0" && row[status] != "failed" && row[status] != "pending") ||
                    (row[recipient] == "0" && row[status] == "delivered");
    EXPECT_EQ(e.at("sent").get<std::size_t>() + e.at("received").get<std::size_t>(),
              endpoint.rows.size());
    EXPECT_GE(endpoint.rows.size(), expected);
}

TEST(RunnerGroups, TheCentralBaselineRefusesGroups) {
    EXPECT_THROW(run_small("sessionsim-central-groups", {"groups.count=1", "messenger=central"}),
                 ScenarioError);
}

TEST(RunnerAttachments, FilesGoThroughTheFileServerIntactAndItNeverSeesAClient) {
    fs::path dir;
    const auto s = run_small("sessionsim-runner-attachments",
                             {"attachments.fraction=1", "attachments.bytes=200000",
                              "workload.send_until_s=60", "attachments.file_server_country=DE"},
                             &dir);
    const auto& a = s.at("attachments");
    EXPECT_GT(a.at("files").get<int>(), 5);
    EXPECT_EQ(a.at("uploaded"), a.at("files"));
    EXPECT_EQ(a.at("downloaded"), a.at("files"));
    EXPECT_EQ(a.at("intact"), a.at("files"));
    EXPECT_EQ(a.at("file_server").at("uploads_seen"), a.at("files"));
    EXPECT_GT(a.at("file_server").at("addresses_seen").get<int>(), 0);
    EXPECT_EQ(a.at("file_server").at("client_addresses_seen"), 0);
    const auto table = net::load_csv((dir / "attachments.csv").string());
    EXPECT_EQ(table.rows.size(), a.at("files").get<std::size_t>());
    EXPECT_NE(slurp(dir / "hosts.csv").find("file_server"), std::string::npos);
}

TEST(RunnerAttachments, AnUnknownFileServerCountryIsAScenarioError) {
    EXPECT_THROW(run_small("sessionsim-bad-fs",
                           {"attachments.fraction=0.5", "attachments.file_server_country=XX"}),
                 ScenarioError);
}

TEST(RunnerPush, ThePushServerListsTheSubscribedAccountsAndNothingItCouldNotSee) {
    fs::path dir;
    const auto s = run_small("sessionsim-runner-push", {"client.mode=push"}, &dir);
    const auto& p = s.at("push");
    EXPECT_EQ(p.at("clients_subscribed"), 8);
    EXPECT_EQ(p.at("push_server").at("client_addresses_seen"), 0);
    EXPECT_GT(p.at("messages_in_payload").get<int>(), 0);
    EXPECT_EQ(s.at("messages").at("delivery_ratio"), 1.0);

    const auto table = net::load_csv((dir / "push_server.csv").string());
    EXPECT_EQ(table.header,
              (std::vector<std::string>{"account", "service", "device_token", "notifications",
                                        "message_bytes", "first_s", "last_s"}))
        << "accounts, tokens, counts, sizes and times: no addresses, no contents";
    std::set<std::string> accounts;
    for (const auto& row : table.rows)
        accounts.insert(row[0]);
    const auto hosts = net::load_csv((dir / "hosts.csv").string());
    std::size_t clients = 0;
    for (const auto& row : hosts.rows)
        clients += row[1] == "client";
    EXPECT_EQ(accounts.size(), clients) << "every subscribed account, and only those";
    EXPECT_EQ(net::load_csv((dir / "platform.csv").string()).rows.size(), clients);
}

TEST(RunnerCommunities, MembersGetThePostsAndTheOperatorReadsThemUnderBlindedIds) {
    fs::path dir;
    const auto s = run_small(
        "sessionsim-runner-communities",
        {"communities.count=1", "communities.members=5", "communities.message_interval_s=8"}, &dir);
    const auto& c = s.at("communities");
    EXPECT_GT(c.at("posts").get<int>(), 3);
    EXPECT_EQ(c.at("delivery_ratio"), 1.0) << c.dump();
    EXPECT_EQ(c.at("operator").at("posts_read_in_clear"), c.at("posts"));
    EXPECT_EQ(c.at("operator").at("blinded_ids_seen"), 5) << "one per member, none a Session ID";
    EXPECT_EQ(c.at("operator").at("client_addresses_seen"), 0);
    const auto log = net::load_csv((dir / "community_server.csv").string());
    ASSERT_EQ(log.rows.size(), c.at("posts").get<std::size_t>());
    for (const auto& row : log.rows) {
        EXPECT_EQ(row[log.column("blinded_id")].substr(0, 2), "15");
        EXPECT_EQ(row[log.column("text")].substr(0, 1), "m") << "the text, in clear";
    }
}

TEST(RunnerBehaviour, BackgroundPhonesWithPushPollLessAndStillGetEverything) {
    const std::vector<std::string> common{"duration_s=300", "workload.send_until_s=240",
                                          "workload.message_interval_s=300"};
    auto daily_keys = common, open_keys = common;
    daily_keys.insert(daily_keys.end(), {"client.mode=push", "behaviour.model=daily"});
    open_keys.push_back("client.mode=foreground");
    const auto daily = run_small("sessionsim-runner-daily", daily_keys);
    const auto open = run_small("sessionsim-runner-open", open_keys);
    EXPECT_GT(daily.at("clients").at("app_sessions").get<int>(), 0);
    EXPECT_EQ(daily.at("messages").at("delivery_ratio"), 1.0);
    EXPECT_LT(daily.at("clients").at("polls_per_client_hour").get<double>(),
              open.at("clients").at("polls_per_client_hour").get<double>() / 2);
    std::cout << "[ validation ] polls per client per hour: always open "
              << open.at("clients").at("polls_per_client_hour") << ", daily with push "
              << daily.at("clients").at("polls_per_client_hour") << "\n";
}

TEST(RunnerBehaviour, MessagesABackgroundPollCouldStillFetchArePendingNotLost) {
    // Phones in the background poll every 60 s here: a message stored in the last two minutes
    // has not been missed, it simply has not been fetched yet.
    const auto s = run_small("sessionsim-runner-background-pending",
                             {"client.mode=background_poll", "client.background_poll_interval_s=60",
                              "duration_s=90", "workload.message_interval_s=10"});
    const auto& sv = s.at("survival");
    EXPECT_EQ(sv.at("lost"), 0) << sv.dump();
    EXPECT_GT(sv.at("pending_at_end").get<int>(), 0);
}

TEST(RunnerBehaviour, AnActiveFractionOfBackgroundPhonesPollsAtTheForegroundRate) {
    const std::vector<std::string> common{"client.mode=background_poll",
                                          "client.background_poll_interval_s=60"};
    auto half_keys = common;
    half_keys.push_back("client.active_fraction=0.5");
    const auto none = run_small("sessionsim-runner-active-none", common);
    const auto half = run_small("sessionsim-runner-active-half", half_keys);
    EXPECT_EQ(none.at("clients").at("active"), 0);
    EXPECT_EQ(half.at("clients").at("active"), 4);  // of 8
    const double polls_none = none.at("clients").at("polls_per_client_hour").get<double>();
    const double polls_half = half.at("clients").at("polls_per_client_hour").get<double>();
    // Half the phones poll every 5 s (720 an hour), the others every 60 s (60 an hour).
    EXPECT_NEAR(polls_half, (720.0 + 60.0) / 2, 40.0);
    EXPECT_LT(polls_none, 100.0);
}

}  // namespace
}  // namespace sessionsim::scenario

namespace sessionsim::scenario {
namespace {

TEST(RunnerHostile, DroppingNodesAreCountedAndTheClientsRouteAroundThem) {
    fs::path dir;
    const auto honest = run_small("sessionsim-hostile-none", {});
    const auto summary = run_small("sessionsim-hostile-drop",
                                   {"hostile.fraction=0.125", "hostile.behaviour=drop"}, &dir);
    ASSERT_TRUE(summary.contains("hostile"));
    const auto& h = summary.at("hostile");
    EXPECT_EQ(h.at("nodes"), 3);
    EXPECT_GT(h.at("acts").at("dropped").get<int>(), 0);
    EXPECT_EQ(h.at("acts").at("total"), h.at("acts").at("dropped"));
    EXPECT_GT(h.at("clients_saw").at("paths_dropped").get<int>(), 0);
    EXPECT_EQ(honest.at("clients").at("paths_dropped"), 0);
    EXPECT_FALSE(honest.contains("hostile"));
    // Every message is accounted for: delivered, given up on by its sender, or sent too late
    // for its recipient's last poll.
    const auto& messages = summary.at("messages");
    const double sent = messages.at("sent").get<double>();
    EXPECT_EQ(messages.at("delivered").get<double>() + messages.at("failed").get<double>() +
                  summary.at("survival").at("pending_at_end").get<double>(),
              sent);
    EXPECT_EQ(honest.at("messages").at("failed"), 0);
    // Routing around them: a sender gives up only after every attempt met a dropper. One attempt
    // meets one of the 3 droppers among 24 nodes (its 3 hops and the destination) with
    // probability 1 - C(21,4)/C(24,4) = 0.437; clients that kept their bad paths would lose
    // messages at about that rate, and these must stay under half of it.
    EXPECT_LE(messages.at("failed").get<double>(), 0.5 * (1 - 5985.0 / 10626) * sent);
    EXPECT_EQ(net::load_csv((dir / "hostile_nodes.csv").string()).rows.size(), 3u);
}

TEST(RunnerHostile, ForgedAcknowledgementsLoseMessagesThatSignatureChecksKeep) {
    const std::vector<std::string> forging{"hostile.fraction=0.25", "hostile.behaviour=forge_ack"};
    const auto trusting = run_small("sessionsim-hostile-forge", forging);
    const auto& acked = trusting.at("hostile").at("messages_acked_by_hostile");
    EXPECT_GT(acked.at("count").get<int>(), 0);
    EXPECT_GT(acked.at("lost").get<int>(), 0);
    auto checking_keys = forging;
    checking_keys.push_back("client.store_ack_signatures=2");
    const auto checking = run_small("sessionsim-hostile-forge-checked", checking_keys);
    EXPECT_GT(checking.at("clients").at("acks_rejected").get<int>(), 0);
    EXPECT_EQ(checking.at("hostile").at("messages_acked_by_hostile").at("count"), 0);
    EXPECT_EQ(checking.at("survival").at("lost"), 0);
}

TEST(RunnerResources, MemoryAndTheNetworksStateAreSampledAtEachInterval) {
    fs::path dir;
    run_small("sessionsim-resources", {"metrics.resource_sample_s=30"}, &dir);
    const auto table = net::load_csv((dir / "resources.csv").string());
    const auto at = [&](std::size_t row, const char* column) {
        return net::number_field(table, row, table.column(column));
    };
    ASSERT_EQ(table.rows.size(), 4u);  // 0, 30, 60, 90 s
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        EXPECT_DOUBLE_EQ(at(r, "sim_s"), 30.0 * static_cast<double>(r));
        EXPECT_GT(at(r, "rss_mib"), 1.0);
        EXPECT_EQ(at(r, "nodes_running"), 24.0);
    }
    EXPECT_GT(at(3, "stored_messages"), 0.0);
    EXPECT_GT(at(3, "events"), at(1, "events"));
}

}  // namespace
}  // namespace sessionsim::scenario
