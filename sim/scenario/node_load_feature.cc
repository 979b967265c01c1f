#include "sim/scenario/node_load_feature.h"

#include <ns3/callback.h>
#include <fstream>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

NodeLoadMetric::NodeLoadMetric(const Scenario& sc) : enabled_(sc.flag("metrics.node_load")) {}

void NodeLoadMetric::install(SessionRun& run) {
    load_.emplace(run.n_nodes);
    for (std::size_t i = 0; i < run.n_nodes; ++i) {
        run.service_hosts[i].app->TraceConnectWithoutContext(
            "HopObserved", ns3::MakeCallback(+[](observe::NodeLoad* l, std::size_t node,
                                                 const apps::HopRecord& r) {
                               l->record(node, r.view);
                           }).Bind(&*load_, i));
    }
}

void NodeLoadMetric::summarize(const SessionRun& run, RunReport& report) {
    report.summary["load"] = load_->summary(run.duration_s);
}

void NodeLoadMetric::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "node_load.csv");
    load_->write_csv(out);
}

}  // namespace sessionsim::scenario
