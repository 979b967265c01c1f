// The provider outage's window (churn.outage_group): delivery of the messages sent before,
// during and after it, in summary.json's "outage" block (records.h: measure_outage_window).
#pragma once

#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class OutageWindow : public Feature {
public:
    explicit OutageWindow(const Scenario& sc);
    std::string_view name() const override { return "outage window"; }
    bool active() const override { return active_; }
    void summarize(const SessionRun& run, RunReport& report) override;

private:
    bool active_;
    double at_s_, duration_s_;
};

}  // namespace sessionsim::scenario
