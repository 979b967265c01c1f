// What a Session run reports once its event loop has stopped: each message's fate, the
// runner's own summary blocks, the features' blocks in their place, and the results files.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

/// Each message's fate (survival.h): for the undelivered ones that were stored, where copies
/// are now.
void judge_messages(SessionRun& run);

/// summary.json: the runner's blocks (messages, requests, network, churn, clients), then every
/// active feature's, ordered by summary_block_order().
nlohmann::ordered_json summarize_run(SessionRun& run);

/// The results folder: the common tables, blocks.csv, node_events.csv, every active feature's
/// tables, and provenance.json (last: its presence says the folder is complete).
void write_run_results(const SessionRun& run, const nlohmann::ordered_json& summary,
                       const RunCost& cost);

}  // namespace sessionsim::scenario
