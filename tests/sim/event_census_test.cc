// The event census (bench/event_census.h): counts by callable, cancellations, and ns-3's order.
#include "sim/scenario/event_census.h"

#include <gtest/gtest.h>

#include <ns3/core-module.h>
#include <string>
#include <vector>

namespace sessionsim::scenario {
namespace {

TEST(EventCensus, CountsEachCallablesEventsAndItsCancellationsAndKeepsNs3sOrder) {
    ns3::Simulator::Destroy();  // the next simulator is created under the census
    start_event_census();
    std::vector<int> ran;
    for (int i = 0; i < 3; ++i)  // one callable, three events at one time: run in that order
        ns3::Simulator::Schedule(ns3::Seconds(1), [&ran, i] { ran.push_back(i); });
    ns3::Simulator::Schedule(ns3::Seconds(2), [&ran] { ran.push_back(20); }).Cancel();
    ns3::Simulator::Remove(
        ns3::Simulator::Schedule(ns3::Seconds(3), [&ran] { ran.push_back(30); }));
    ns3::Simulator::Schedule(ns3::MilliSeconds(500), [&ran] { ran.push_back(5); });
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    ns3::GlobalValue::Bind("SchedulerType", ns3::StringValue("ns3::MapScheduler"));

    EXPECT_EQ(ran, (std::vector<int>{5, 0, 1, 2}));
    std::vector<std::pair<std::uint64_t, std::uint64_t>> tallies;  // this test's lambdas, in order
    for (const auto& [name, tally] : event_census()) {
        if (name.find("TestBody") == std::string::npos)
            continue;
        EXPECT_NE(name.find("lambda"), std::string::npos) << name;
        EXPECT_EQ(name.find("MakeEvent"), std::string::npos) << "the wrapper is stripped: " << name;
        tallies.emplace_back(tally.scheduled, tally.cancelled);
    }
    // Four lambdas, named #1..#4 in source order, and the map sorts them by name.
    EXPECT_EQ(tallies, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{
                           {3, 0}, {1, 1}, {1, 1}, {1, 0}}));
}

}  // namespace
}  // namespace sessionsim::scenario
