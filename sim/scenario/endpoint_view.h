// A compromised device (adversary.endpoint): spyware on one client reads what its app holds --
// every message it sent or received, in clear, with the other party's Session ID, the groups it
// is in and who writes there, when, and how much. Nothing here needs the network: it is what
// end-to-end encryption and onion routing leave exposed at the ends. Built from the run's own
// records of that client's sends and deliveries.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/feature.h"
#include "sim/scenario/group_workload.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct EndpointEntry {
    std::string direction;        ///< sent | received
    std::string kind;             ///< direct | group
    std::size_t counterpart = 0;  ///< the other client (direct), or the sender (group)
    std::optional<std::size_t> group;
    double at_s = 0;
    std::size_t bytes = 0;
};

class EndpointView : public Feature {
public:
    /// The client adversary.endpoint names (none if negative). Throws ScenarioError if there is
    /// no such client among `n_clients`.
    EndpointView(const Scenario& sc, std::size_t n_clients);
    std::string_view name() const override { return "endpoint view"; }
    bool active() const override { return client_.has_value(); }

    /// summary.json "endpoint": what the device holds, counted.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// endpoint.csv: one row per message the device holds.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    /// The device's messages, from the run's records of its sends and deliveries.
    void read(const std::vector<MessageRecord>& messages,
              const std::vector<GroupDelivery>& group_deliveries, std::size_t group_message_bytes);
    /// The "endpoint" block and line.
    void report(RunReport& report) const;
    void write_csv(std::ostream& out) const;

    std::optional<std::size_t> client_;
    std::size_t message_bytes_;  ///< workload.message_bytes: group messages' size too
    std::vector<EndpointEntry> entries_;
};

}  // namespace sessionsim::scenario
