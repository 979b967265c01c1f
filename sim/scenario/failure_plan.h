// The scenario's failure model turned into a schedule: the churn.* keys, checked, become one
// merged list of outages over the service nodes.
#pragma once

#include <vector>

#include "models/crypto/random.h"
#include "sim/churn/outages.h"
#include "sim/net/placement.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// Outages for the service nodes `hosts` over the run. Throws ScenarioError naming the key
/// (an unknown provider or country, an unreadable trace file).
std::vector<churn::Outage> failure_plan(const Scenario& sc,
                                        const std::vector<net::PlacedHost>& hosts,
                                        crypto::RandomSource& random);

}  // namespace sessionsim::scenario
