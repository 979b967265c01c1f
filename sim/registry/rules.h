// The staking chain's service-node rules, with oxen-core's mainnet values (metrics-and-
// validation.md §0: service_node_rules.h, mainnet.h, service_node_list.h). Times in ms, credit
// in blocks.
#pragma once

#include <cstdint>

namespace sessionsim::registry {

struct RegistryRules {
    std::int64_t block_ms = 120'000;                   ///< TARGET_BLOCK_TIME
    std::int64_t proof_interval_ms = 3'600'000;        ///< UPTIME_PROOF_FREQUENCY
    std::int64_t proof_validity_ms = 7'500'000;        ///< UPTIME_PROOF_VALIDITY (2 h 05)
    int quorum_size = 10;                              ///< STATE_CHANGE_QUORUM_SIZE
    int min_votes = 7;                                 ///< STATE_CHANGE_MIN_VOTES_TO_CHANGE_STATE
    int nth_of_network_to_test = 100;                  ///< STATE_CHANGE_NTH_OF_THE_NETWORK_TO_TEST
    int min_nodes_to_test = 50;                        ///< STATE_CHANGE_MIN_NODES_TO_TEST
    std::int64_t validator_min_uptime_ms = 7'500'000;  ///< a validator votes after 2 h 05 up
    /// Storage-server reachability: failing after only failures for this long (peers test
    /// every ~10 s, so "a failure in the last 10 min" holds throughout an outage).
    bool reachability_checks = true;
    std::int64_t unreachable_failing_after_ms = 3'900'000;  ///< 1 h 05
    double initial_credit_blocks = 60;                      ///< DECOMMISSION_INITIAL_CREDIT (2 h)
    double credit_per_block = 24.0 / 720;  ///< 24 h of credit per 30 days of 720 blocks each
    double max_credit_blocks = 1440;       ///< DECOMMISSION_MAX_CREDIT (48 h)
    double min_credit_to_decommission_blocks = 60;                ///< DECOMMISSION_MINIMUM (2 h)
    std::int64_t deregistration_lock_ms = 30LL * 24 * 3'600'000;  ///< stake locked after dereg
    std::int64_t unlock_ms = 15LL * 24 * 3'600'000;               ///< voluntary unlock delay
};

}  // namespace sessionsim::registry
