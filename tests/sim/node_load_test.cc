// Traffic types from what a node sees of each layer.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/observe/node_load.h"

namespace sessionsim::observe {
namespace {

node::HopView executed(std::string method, std::string account, std::optional<std::int64_t> ns) {
    node::HopView v;
    v.outcome = node::HopView::Outcome::executed;
    v.method = std::move(method);
    v.account = std::move(account);
    v.ns = ns;
    v.layer_bytes = 100;
    return v;
}

TEST(NodeLoad, ClassifiesWhatTheNodeSawAndCountsPerNode) {
    const std::string user = "05" + std::string(64, 'a'), group = "03" + std::string(64, 'b');
    EXPECT_EQ(classify(executed("store", user, std::nullopt)), TrafficType::store);
    EXPECT_EQ(classify(executed("batch:retrieve:retrieve", user, 2)), TrafficType::poll);
    EXPECT_EQ(classify(executed("store", group, 11)), TrafficType::group_store);
    EXPECT_EQ(classify(executed("store", group, 12)), TrafficType::group_keys);
    EXPECT_EQ(classify(executed("batch:retrieve:retrieve", group, 12)), TrafficType::group_poll);
    EXPECT_EQ(classify(executed("revoke_subaccount", group, std::nullopt)),
              TrafficType::group_admin);
    EXPECT_EQ(classify(executed("get_swarm", user, std::nullopt)), TrafficType::get_swarm);
    EXPECT_EQ(classify(executed("info", "", std::nullopt)), TrafficType::other);
    node::HopView relay;
    relay.outcome = node::HopView::Outcome::forwarded;
    EXPECT_EQ(classify(relay), TrafficType::relay);
    node::HopView exit;
    exit.outcome = node::HopView::Outcome::to_server;
    EXPECT_EQ(classify(exit), TrafficType::server_relay);

    NodeLoad load(2);
    load.record(0, executed("store", group, 11));
    load.record(0, executed("store", group, 11));
    load.record(1, executed("store", group, 11));
    load.record(5, relay);  // unknown node: ignored
    const auto s = load.summary(3600);
    EXPECT_EQ(s.at("group_store").at("requests"), 3);
    EXPECT_EQ(s.at("group_store").at("bytes"), 300);
    EXPECT_EQ(s.at("group_store").at("per_node_hour"), 1.5);
    EXPECT_EQ(s.at("group_store").at("busiest_node_per_hour"), 2.0);
    EXPECT_FALSE(s.contains("relay"));
    std::ostringstream csv;
    load.write_csv(csv);
    EXPECT_EQ(csv.str(), "node,type,requests,bytes\n0,group_store,2,200\n1,group_store,1,100\n");
}

}  // namespace
}  // namespace sessionsim::observe
