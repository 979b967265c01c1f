// What every simulated run does whichever messenger it simulates (Session, or the centralized
// baseline): build the WAN, schedule the workload (planned in message_plan.h, which the testbed
// shares), run the simulator with progress, and write the tables that do not depend on the
// messenger. Kept here so that both runners share one workload and one set of result files,
// and their numbers compare like for like.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "sim/net/placement.h"
#include "sim/net/wan_helper.h"
#include "sim/scenario/behaviour.h"
#include "sim/scenario/message_plan.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_options.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

using RunClock = std::chrono::steady_clock;

/// Simulated time now, seconds from the start of the run.
double sim_now_s();

/// The WAN over `hosts` with the scenario's access links, jitter and loss. Throws ScenarioError
/// when the latency model does not cover a host's location.
net::Wan build_network(const Scenario& sc, const std::vector<net::PlacedHost>& hosts,
                       const net::LatencyModel& model, std::uint64_t seed);

/// One host of a service outside the Session network (file server, push server, platform),
/// placed in the country the scenario key `country_key` names, with `provider` as its AS.
/// Throws ScenarioError naming the key for an unknown or uncovered country.
net::PlacedHost place_service_host(const Scenario& sc, const std::string& country_key,
                                   const std::string& provider, std::uint32_t first_address,
                                   const net::MeasuredLatency* cities,
                                   const net::LatencyModel& model, std::uint64_t seed);

/// plan_messages (message_plan.h), then `send(sender, recipient, message id)` scheduled at each
/// one's time on the simulator's clock. With a daily `behaviour`, messages follow its diurnal
/// rate (same daily mean).
void schedule_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                       crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                       std::function<void(std::size_t, std::size_t, std::uint64_t)> send,
                       const DailyBehaviour* behaviour = nullptr);

struct RunCost {
    double wall_s = 0;         ///< set-up and event loop
    double setup_s = 0;        ///< topology, addresses, apps: until the event loop starts
    std::uint64_t events = 0;  ///< deterministic, unlike the wall time
};
/// Runs the simulator to `duration` with a progress line for long runs (simulated time, rate,
/// ETA) every 5 simulated seconds.
RunCost run_simulation(const RunOptions& options, std::ostream& progress,
                       RunClock::time_point wall_start, double duration);

/// What hosts.csv says of each host, beside its place (see write_hosts_csv).
struct HostRoles {
    std::size_t n_servers = 0;    ///< the first hosts: service nodes or data centres
    std::string server_role;      ///< "service_node" or "datacentre"
    std::vector<bool> adversary;  ///< by server: the adversary runs it (empty: none does)
    /// By server: its Ed25519 key (requests.csv names the guard and destination by key); empty
    /// for servers without one (data centres).
    std::vector<crypto::Ed25519PublicKey> keys;
};

/// The tables every run writes: config.toml, summary.json, messages.csv, requests.csv,
/// hosts.csv (see write_hosts_csv). Creates the folder.
void write_common_results(const RunOptions& options, const Scenario& sc,
                          const nlohmann::ordered_json& summary,
                          const std::vector<MessageRecord>& messages,
                          const std::vector<RequestRow>& requests,
                          const std::vector<net::PlacedHost>& hosts, const HostRoles& roles);

/// Every host: its index (servers first -- service nodes or data centres -- then clients, as in
/// the other tables), role, address, country, provider, whether the adversary runs it, its city
/// (the WonderProxy server id in shared/data, -1 when placed by country only) and a service
/// node's key: what maps an observed address, or a key in requests.csv, back to a host.
void write_hosts_csv(std::ostream& out, const std::vector<net::PlacedHost>& hosts,
                     const HostRoles& roles);

/// provenance.json: program, version, scenario, seed, events; the host block (wall clock with its
/// set-up share, the event loop's rate, memory) varies between machines.
void write_provenance(const std::string& dir, const Scenario& sc, const RunCost& cost);

}  // namespace sessionsim::scenario
