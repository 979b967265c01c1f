// The console lines and run-table cells that every run reports from its records, whichever
// messenger it simulates: messages, onion round trips, delivery delay, survival, the clients'
// costs and the outage window. Both runners (Session and the centralized baseline) call these,
// so their summaries read alike and their tables compare column by column.
#pragma once

#include <optional>
#include <string_view>

#include "sim/scenario/records.h"
#include "sim/scenario/run_report.h"

namespace sessionsim::scenario {

/// Adds the message blocks to summary.json; the "messages", "onion RTT" (with
/// `onion_requests`), "delivery" and "survival" lines (delivery measured at `delivered_at`,
/// e.g. "the recipient's poll"); the message, loss and delay cells.
void report_messages(const MessageFigures& figures, bool onion_requests,
                     std::string_view delivered_at, RunReport& report);

/// The "load" line and the client-cost cells (summary.json's "clients" block is the caller's:
/// each messenger adds its own entries to it).
void report_client_costs(const ClientCosts& costs, RunReport& report);

/// summary.json's "outage" block, the "outage" line and the outage cells; with
/// `expected_extra_delay_s`, the closed form the extra delay is compared with.
void report_outage(const OutageFigures& figures, std::optional<double> expected_extra_delay_s,
                   RunReport& report);

}  // namespace sessionsim::scenario
