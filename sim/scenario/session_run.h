// The state of one Session run that the runner and its features share: the scenario, the
// placed hosts, the network, the service nodes, the clients and what the run records. The
// runner builds it phase by phase (session_network.cc) and hands it to every feature's hooks
// (feature.h); features keep their own state and read or extend this.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include <ns3/ptr.h>

#include "models/crypto/random.h"
#include "sim/apps/client_app.h"
#include "sim/apps/directory.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/net/wan_helper.h"
#include "sim/registry/registry.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/network_dynamics.h"
#include "sim/scenario/network_plan.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct SessionRun {
    SessionRun(const Scenario& sc, const RunOptions& options, RunClock::time_point wall_start,
               std::uint64_t seed, crypto::SeededRandom& random, NetworkPlan plan);

    // The scenario and its sizes.
    const Scenario& sc;
    const RunOptions& options;
    const RunClock::time_point wall_start;
    const std::uint64_t seed;
    crypto::SeededRandom& random;  ///< the "scenario" stream (placement, node ages, probes)
    NetworkPlan plan;  ///< the latency model (its nodes and clients have moved into hosts)
    const std::size_t n_initial;  ///< service nodes at the start
    const std::size_t n_joins;    ///< nodes that join later: the last n_joins of them
    const std::size_t n_nodes;    ///< n_initial + n_joins
    const std::size_t n_clients;
    const double duration_s;
    const std::vector<bool> offline;  ///< clients offline at the start (workload)
    const double offline_until_s;     ///< when they come back (if before the end)

    // The network: hosts are the service nodes, then the clients, then the features' servers.
    std::vector<net::PlacedHost> hosts;
    net::Wan wan;
    std::shared_ptr<apps::NodeDirectory> directory = std::make_shared<apps::NodeDirectory>();
    std::unique_ptr<registry::Registry> chain;
    std::vector<ServiceHost> service_hosts;  ///< by node index
    std::vector<ns3::Ptr<apps::ServiceNodeApp>> node_apps;
    std::vector<storage::NodeContact> contacts;
    std::unique_ptr<NetworkDynamics> dynamics;
    std::vector<ns3::Ptr<apps::ClientApp>> clients;  ///< by client index
    std::set<std::uint32_t> client_addresses;
    int path_length = 3;  ///< onion hops of the clients' requests
    /// Background mode: clients not drawn as active poll at the background rate.
    bool background_mode = false;
    std::vector<bool> active_clients;  ///< in background mode, the ones that keep the app open
    std::vector<std::string> client_profiles;  ///< each client's profile (client_settings.h)

    // What the run records.
    std::vector<MessageRecord> messages;  ///< the workload's direct messages, by id
    std::vector<RequestRow> requests;
    /// Per client: the app's id of each direct message it sent -> the message id.
    std::vector<std::map<std::uint64_t, std::size_t>> message_index;
    /// What failures cost the clients, measured once the event loop has stopped (the hostile
    /// nodes report what their victims saw).
    ClientCosts client_costs;

    // The scenario's active features, in registry order (feature_registry.cc).
    std::vector<std::unique_ptr<Feature>> features;

    /// The active feature of type F, or nullptr: for what reads another feature's state (the
    /// endpoint view reads the group deliveries, the workload the daily behaviour's rate).
    template <typename F>
    F* feature() const {
        for (const auto& f : features) {
            if (auto* p = dynamic_cast<F*>(f.get()))
                return p;
        }
        return nullptr;
    }
};

}  // namespace sessionsim::scenario
