// The centralized baseline's run (messenger = "central"): the same clients, at the same places,
// with the same identities and workload as a Session run of the scenario, connected to one
// operator's data centres instead of onion-routing to swarms. Writes the same tables
// (messages.csv, summary.json, hosts.csv, provenance.json) plus operator_log.csv -- everything
// the operator records -- and summary.json's "operator" block: what that log reveals, scored
// against the truth (metrics-and-validation.md §1.5, §4).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/central/operator_server.h"
#include "models/identity/keys.h"
#include "sim/apps/central_client_app.h"
#include "sim/apps/central_server_app.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/net/wan_helper.h"
#include "sim/scenario/run_report.h"
#include "sim/scenario/run_support.h"

namespace sessionsim::scenario {

struct CentralInputs {
    RunClock::time_point wall_start;
    std::uint64_t seed = 0;
    const net::LatencyModel& model;
    const net::MeasuredLatency* cities = nullptr;
    std::vector<net::PlacedHost> client_hosts;  ///< as the Session run places them
};

/// A centralized run's state, shared by its phases as SessionRun is by a Session run's: the
/// network (data centres first, then the clients), the operator and what it logs, the clients
/// and what the run records. It stays in place for the run (callbacks point into it).
struct CentralRun {
    /// Places the data centres, builds the WAN over every host and derives the clients'
    /// identities. Throws ScenarioError for settings the baseline has no counterpart for.
    CentralRun(const Scenario& sc, const RunOptions& options, const CentralInputs& inputs);
    CentralRun(const CentralRun&) = delete;
    CentralRun& operator=(const CentralRun&) = delete;

    const Scenario& sc;
    const RunOptions& options;
    const CentralInputs& in;
    const std::uint64_t seed;
    const double duration_s;

    // The network.
    std::vector<net::PlacedHost> datacentres, hosts;
    std::size_t n_dc = 0, n_clients = 0;
    net::Wan wan;
    std::vector<std::size_t> home;  ///< each client's data centre (the nearest)
    std::vector<ns3::Ipv4Address> dc_addresses;
    std::vector<identity::Identity> identities;  ///< as in a Session run of the scenario
    std::vector<std::string> accounts;           ///< their Session IDs, hex

    // The operator.
    std::vector<ns3::Ptr<apps::CentralServerApp>> servers;
    std::vector<central::OperatorRecord> log;  ///< everything it writes down
    double outage_at_s = 0, outage_for_s = 0;  ///< central.outage_* (none: 0 s)

    // The clients and what the run records.
    std::vector<bool> offline;
    double offline_until_s = 0;
    std::vector<ns3::Ptr<apps::CentralClientApp>> clients;
    std::vector<MessageRecord> messages;                ///< by message id
    std::vector<std::optional<std::uint64_t>> app_ids;  ///< message -> the sender app's id
    std::vector<std::map<std::uint64_t, std::size_t>>
        message_index;  ///< per client: app id -> message
};

/// One server per data centre, logging what it routes, and central.outage_* scheduled.
void start_operator(CentralRun& run);
/// The clients, each connected to its home data centre (offline ones start late or never).
void start_central_clients(CentralRun& run);
/// The workload every run sends (run_support.h: schedule_messages), as direct messages.
void schedule_central_workload(CentralRun& run);

/// The centralized run, phase by phase (the messenger is chosen in runner.cc).
RunReport run_central(const Scenario& sc, const RunOptions& options, std::ostream& progress,
                      const CentralInputs& inputs);

}  // namespace sessionsim::scenario
