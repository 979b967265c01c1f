// What a Session run reports once its event loop has stopped: each message's fate, the
// runner's own summary blocks, the features' blocks in their place, and the results files.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/run_report.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

/// Each message's fate (survival.h): for the undelivered ones that were stored, where copies
/// are now.
void judge_messages(SessionRun& run);

/// What the run reports: the runner's summary blocks (messages, requests, network, churn,
/// clients), console lines and cells, then every active feature's; summary.json's feature
/// blocks ordered by summary_block_order().
RunReport summarize_run(SessionRun& run);

/// The results folder: the common tables, blocks.csv, node_events.csv, every active feature's
/// tables, and provenance.json (last: its presence says the folder is complete).
void write_run_results(const SessionRun& run, const nlohmann::ordered_json& summary,
                       const RunCost& cost);

}  // namespace sessionsim::scenario
