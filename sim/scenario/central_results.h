// What a centralized run reports once its event loop has stopped: each message's fate, the
// summary (the blocks every run has, and the operator's: what its log reveals, scored against
// the truth), and the results folder with operator_log.csv.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/central_run.h"
#include "sim/scenario/run_report.h"
#include "sim/scenario/run_support.h"

namespace sessionsim::scenario {

/// Each message's fate (survival.h): an undelivered message the operator acknowledged waits in
/// its recipient's mailbox unless the operator is down at the end.
void judge_central_messages(CentralRun& run);

/// The runner's blocks, lines and cells (messages, network, clients), the operator's, and the
/// outage's when central.outage_* is set.
RunReport summarize_central_run(const CentralRun& run);

/// The common tables, operator_log.csv, and provenance.json (last).
void write_central_results(const CentralRun& run, const nlohmann::ordered_json& summary,
                           const RunCost& cost);

}  // namespace sessionsim::scenario
