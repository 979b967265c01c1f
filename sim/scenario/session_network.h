// Builds a Session run's network phase by phase: the service nodes with their registry and
// churn, then the clients with what they record. The runner calls these between the features'
// hooks (runner.cc); the order of the calls is the order of the run's set-up.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

/// The service nodes: the registry holds the ones present at the start (registered up to
/// registry.max_node_age_days ago) and places them in swarms as oxend does; joiners register
/// later. Creates run.chain, run.service_hosts, run.node_apps, run.contacts and run.dynamics,
/// and installs each node's app on its host.
void start_service_nodes(SessionRun& run);

/// Schedules the churn: the joiners at churn.join_at_s and the failure plan (failure_plan.h).
void start_churn(SessionRun& run);

/// The clients, each with an identity from the seed, its settings and an observer that
/// records its requests and messages in run and tells the features (feature.h).
void start_clients(SessionRun& run);

/// Connections the service nodes hold open now: each costs a TCP socket, its state and an
/// endpoint the node's demultiplexer scans for every packet it receives.
nlohmann::ordered_json open_connections(const std::vector<ServiceHost>& hosts);

}  // namespace sessionsim::scenario
