// The journeys table (sim/scenario/journey_trace.cc) from layers and stores handed to it by
// hand: which hops belong to which request when links reuse ids, what is kept and what is
// dropped, and which replicas a message gets. The runs that drive it through the network are in
// runner_test.cc (journeys.csv against requests.csv).
#include <gtest/gtest.h>

#include <ns3/nstime.h>

#include "sim/scenario/journey_trace.h"
#include "tests/sim/hand_network.h"

namespace sessionsim::scenario {
namespace {

const std::uint32_t kNodeIp[] = {ip(10, 0, 0, 1), ip(10, 0, 1, 1), ip(10, 0, 2, 1),
                                 ip(10, 0, 3, 1), ip(10, 0, 4, 1), ip(10, 0, 5, 1)};
const std::vector<std::uint32_t> kClients{kAlice, kBob};

apps::HopRecord layer(double t, std::uint32_t from, std::uint64_t id, bool from_client,
                      node::HopView::Outcome outcome, std::uint64_t forwarded_as = 0) {
    apps::HopRecord hop;
    hop.time = ns3::Seconds(t);
    hop.from_ipv4 = from;
    hop.request_id = id;
    hop.view.from_client = from_client;
    hop.view.outcome = outcome;
    hop.view.forwarded_as = forwarded_as;
    return hop;
}

constexpr auto kForwarded = node::HopView::Outcome::forwarded;
constexpr auto kExecuted = node::HopView::Outcome::executed;

/// Client `from` sends request `id` over guard, relay, destination (node indices) from `t`, a
/// hop each 0.1 s; the links carry it as `link_id` + k after the guard.
void send(JourneyTrace& trace, std::uint32_t from, std::uint64_t id,
          const std::vector<std::size_t>& path, double t, std::uint64_t link_id) {
    for (std::size_t k = 0; k < path.size(); ++k) {
        const bool last = k + 1 == path.size();
        const auto hop = layer(t + 0.1 * static_cast<double>(k),
                               k == 0 ? from : kNodeIp[path[k - 1]], k == 0 ? id : link_id + k - 1,
                               k == 0, last ? kExecuted : kForwarded, last ? 0 : link_id + k);
        trace.record_hop(path[k], kNodeIp[path[k]], hop);
    }
}

std::vector<std::size_t> nodes_of(const std::vector<JourneyHop>& hops) {
    std::vector<std::size_t> nodes;
    for (const auto& h : hops)
        nodes.push_back(h.node);
    return nodes;
}

JourneyTrace make_trace() {
    JourneyTrace trace(scenario({}));
    trace.set_client_addresses(kClients);
    return trace;
}

TEST(JourneyTrace, AStoreKeepsItsHopsInOrderWithTheirTimesAndItsReplicas) {
    auto trace = make_trace();
    trace.record_store(4, "hash-a", 1.25);  // the destination and two swarm peers store it
    send(trace, kAlice, 7, {0, 2, 4}, 1.0, 100);
    trace.record_store(3, "hash-a", 1.31);
    trace.record_store(5, "hash-a", 1.33);
    trace.request_ended(0, 7);
    trace.keep_store(0, 7, /*message=*/42, "hash-a");
    trace.record_store(1, "hash-a", 90.0);  // a later copy (a push to a new member)

    ASSERT_EQ(trace.journeys().count(42), 1U);
    const auto& j = trace.journeys().at(42);
    EXPECT_EQ(nodes_of(j.store), (std::vector<std::size_t>{0, 2, 4}));
    EXPECT_DOUBLE_EQ(j.store[0].time_s, 1.0);
    EXPECT_DOUBLE_EQ(j.store[2].time_s, 1.2);
    EXPECT_STREQ(j.store[0].outcome, "forwarded");
    EXPECT_STREQ(j.store[2].outcome, "executed");
    ASSERT_EQ(j.replicas.size(), 4U);
    EXPECT_EQ(j.replicas[0].node, 4U);
    EXPECT_EQ(j.replicas[3].node, 1U);
    EXPECT_DOUBLE_EQ(j.replicas[3].time_s, 90.0);
    EXPECT_TRUE(j.poll.empty());
}

TEST(JourneyTrace, RequestsInFlightTogetherOnLinksThatReuseIdsStayApart) {
    auto trace = make_trace();
    // Alice's and Bob's requests share the link id 1 to their guards and the ids 100, 101 on
    // the relays' links; only the address they come from tells them apart.
    for (int step = 0; step < 3; ++step) {
        const std::vector<std::size_t> alice{0, 2, 4}, bob{1, 3, 5};
        const double t = 1.0 + 0.1 * step;
        const auto k = static_cast<std::size_t>(step);
        const bool last = step == 2;
        trace.record_hop(
            alice[k], kNodeIp[alice[k]],
            layer(t, step == 0 ? kAlice : kNodeIp[alice[k - 1]], step == 0 ? 1 : 99 + k, step == 0,
                  last ? kExecuted : kForwarded, last ? 0 : 100 + k));
        trace.record_hop(
            bob[k], kNodeIp[bob[k]],
            layer(t + 0.01, step == 0 ? kBob : kNodeIp[bob[k - 1]], step == 0 ? 1 : 99 + k,
                  step == 0, last ? kExecuted : kForwarded, last ? 0 : 100 + k));
    }
    trace.request_ended(1, 1);
    trace.keep_store(1, 1, 2, "hash-bob");
    trace.request_ended(0, 1);
    trace.keep_store(0, 1, 1, "hash-alice");
    EXPECT_EQ(nodes_of(trace.journeys().at(1).store), (std::vector<std::size_t>{0, 2, 4}));
    EXPECT_EQ(nodes_of(trace.journeys().at(2).store), (std::vector<std::size_t>{1, 3, 5}));
}

TEST(JourneyTrace, OnlyTheRequestThatJustEndedCanBeKept) {
    auto trace = make_trace();
    send(trace, kAlice, 1, {0, 2, 4}, 1.0, 100);
    trace.request_ended(0, 1);  // answered, carried nothing the run tracks
    send(trace, kAlice, 2, {0, 3, 5}, 2.0, 200);
    trace.request_ended(0, 2);
    trace.keep_store(0, 1, 9, "hash-9");  // request 1's slot is gone: nothing to keep
    EXPECT_TRUE(trace.journeys().at(9).store.empty());
    trace.keep_store(0, 2, 10, "hash-10");
    EXPECT_EQ(nodes_of(trace.journeys().at(10).store), (std::vector<std::size_t>{0, 3, 5}));
}

TEST(JourneyTrace, APollThatDeliversTwoMessagesGivesEachItsHops) {
    auto trace = make_trace();
    send(trace, kBob, 5, {1, 2, 3}, 4.0, 300);
    trace.request_ended(1, 5);
    trace.keep_poll(1, 5, 11);
    trace.keep_poll(1, 5, 12);
    trace.keep_poll(1, 6, 13);  // another request's delivery: not this one's hops
    EXPECT_EQ(nodes_of(trace.journeys().at(11).poll), (std::vector<std::size_t>{1, 2, 3}));
    EXPECT_EQ(nodes_of(trace.journeys().at(12).poll), (std::vector<std::size_t>{1, 2, 3}));
    EXPECT_EQ(trace.journeys().count(13), 0U);
}

TEST(JourneyTrace, ALayerLostOnTheWayEndsItsRequestAndItsIdCanBeReused) {
    auto trace = make_trace();
    // Request 1 reaches its guard and relay; the relay's layer to node 4 (id 101) never arrives.
    trace.record_hop(0, kNodeIp[0], layer(1.0, kAlice, 1, true, kForwarded, 100));
    trace.record_hop(2, kNodeIp[2], layer(1.1, kNodeIp[0], 100, false, kForwarded, 101));
    trace.request_ended(0, 1);  // timed out
    trace.keep_store(0, 1, 3, "hash-3");
    EXPECT_EQ(nodes_of(trace.journeys().at(3).store), (std::vector<std::size_t>{0, 2}));
    // A later request of Bob's whose relay link reuses id 101 from node 2: not request 1's.
    trace.record_hop(2, kNodeIp[2], layer(5.0, kBob, 8, true, kForwarded, 101));
    trace.record_hop(4, kNodeIp[4], layer(5.1, kNodeIp[2], 101, false, kExecuted));
    trace.request_ended(1, 8);
    trace.keep_store(1, 8, 4, "hash-4");
    EXPECT_EQ(nodes_of(trace.journeys().at(4).store), (std::vector<std::size_t>{2, 4}));
    EXPECT_EQ(trace.journeys().at(3).store.size(), 2U);
}

TEST(JourneyTrace, StoresOlderThanAnyRequestsTimeoutAreForgotten) {
    auto trace = make_trace();
    trace.record_store(1, "hash-old", 0.0);
    trace.record_store(2, "hash-new", 200.0);  // 200 s later: the window (120 s) has passed
    trace.keep_store(0, 1, 1, "hash-old");
    trace.keep_store(0, 2, 2, "hash-new");
    EXPECT_TRUE(trace.journeys().at(1).replicas.empty());
    ASSERT_EQ(trace.journeys().at(2).replicas.size(), 1U);
    EXPECT_EQ(trace.journeys().at(2).replicas[0].node, 2U);
}

TEST(JourneyTrace, LayersFromAddressesThatAreNoClientsStartNothing) {
    auto trace = make_trace();
    trace.record_hop(0, kNodeIp[0], layer(1.0, ip(30, 0, 0, 1), 1, true, kExecuted));
    trace.request_ended(0, 1);
    trace.keep_store(0, 1, 1, "h");
    EXPECT_TRUE(trace.journeys().at(1).store.empty());
}

}  // namespace
}  // namespace sessionsim::scenario
