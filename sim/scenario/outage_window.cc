#include "sim/scenario/outage_window.h"

#include "sim/scenario/message_report.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

OutageWindow::OutageWindow(const Scenario& sc)
    : active_(!sc.text("churn.outage_group").empty()),
      at_s_(sc.number("churn.outage_at_s")),
      duration_s_(sc.number("churn.outage_duration_s")) {}

void OutageWindow::summarize(const SessionRun& run, RunReport& report) {
    report_outage(measure_outage_window(run.messages, at_s_, duration_s_), std::nullopt, report);
}

}  // namespace sessionsim::scenario
