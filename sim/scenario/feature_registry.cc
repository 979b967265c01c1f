#include "sim/scenario/feature_registry.h"

#include "sim/scenario/adversary.h"
#include "sim/scenario/attachment_workload.h"
#include "sim/scenario/behaviour.h"
#include "sim/scenario/community_workload.h"
#include "sim/scenario/direct_messages.h"
#include "sim/scenario/endpoint_view.h"
#include "sim/scenario/group_workload.h"
#include "sim/scenario/hostile_nodes.h"
#include "sim/scenario/journey_trace.h"
#include "sim/scenario/latency_probes.h"
#include "sim/scenario/node_load_feature.h"
#include "sim/scenario/outage_window.h"
#include "sim/scenario/pcap_trace.h"
#include "sim/scenario/push_setup.h"
#include "sim/scenario/resource_samples.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

std::vector<std::unique_ptr<Feature>> make_features(const SessionRun& run) {
    const auto& sc = run.sc;
    const std::vector<net::PlacedHost> initial_nodes(
        run.hosts.begin(), run.hosts.begin() + static_cast<long>(run.n_initial));
    std::vector<std::unique_ptr<Feature>> f;
    // The order is the hook order. It matters where two features act at the same simulated
    // instant or in the same hook: the daily behaviour opens the app before a message is sent
    // (and an attachment drawn), groups take their messages before attachments look at them,
    // hosts are placed file server, community server, push server, and sampling starts last
    // (the traces, which only watch, come after it).
    f.push_back(std::make_unique<DailyBehaviour>(sc, run.seed));
    f.push_back(std::make_unique<DirectMessages>(sc));
    f.push_back(std::make_unique<GroupWorkload>(sc, run.offline, run.seed));
    f.push_back(std::make_unique<AttachmentWorkload>(sc, run.seed));
    f.push_back(std::make_unique<CommunityWorkload>(sc, run.offline, run.seed));
    f.push_back(std::make_unique<PushSetup>(sc, run.seed));
    f.push_back(std::make_unique<NodeLoadMetric>(sc));
    f.push_back(std::make_unique<Adversary>(sc, initial_nodes, run.n_joins, run.seed));
    f.push_back(std::make_unique<HostileNodes>(sc, run.n_initial, run.seed));
    f.push_back(std::make_unique<LatencyProbes>(sc));
    f.push_back(std::make_unique<EndpointView>(sc, run.n_clients));
    f.push_back(std::make_unique<OutageWindow>(sc));
    f.push_back(std::make_unique<ResourceSampler>(sc, run.wall_start));
    f.push_back(std::make_unique<PcapTrace>(sc));
    f.push_back(std::make_unique<JourneyTrace>(sc));
    // Only the active ones take part: an inactive feature gets no call, and the event hooks,
    // run for every message, loop over what the scenario uses.
    std::erase_if(f, [](const auto& feature) { return !feature->active(); });
    return f;
}

const std::vector<std::string_view>& summary_block_order() {
    static const std::vector<std::string_view> order{"hostile",  "load",        "push",
                                                     "endpoint", "attachments", "communities",
                                                     "groups",   "outage",      "adversary"};
    return order;
}

}  // namespace sessionsim::scenario
