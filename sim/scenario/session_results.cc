#include "sim/scenario/session_results.h"

#include "sim/scenario/client_settings.h"
#include "sim/scenario/profile_report.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/storage/swarm_view.h"
#include "sim/scenario/adversary.h"
#include "sim/scenario/behaviour.h"
#include "sim/scenario/feature_registry.h"
#include "sim/scenario/message_report.h"
#include "sim/scenario/session_network.h"
#include "sim/scenario/survival.h"

namespace sessionsim::scenario {
namespace {

/// The poll that decides "pending" is the slowest a recipient's app may be on (background
/// phones poll every background_poll_interval_s).
double slowest_poll_s(const SessionRun& run) {
    const auto* behaviour = run.feature<DailyBehaviour>();
    const bool background_polls =
        behaviour != nullptr || run.sc.text("client.mode") != "foreground";
    const double foreground = largest_client_value(run.sc, "client.poll_interval_s");
    return background_polls
               ? std::max(foreground, run.sc.number("client.background_poll_interval_s"))
               : foreground;
}

/// The feature blocks of `summary` (keys after the first `core` ones) in summary_block_order().
nlohmann::ordered_json order_blocks(const nlohmann::ordered_json& summary, std::size_t core) {
    nlohmann::ordered_json out;
    std::vector<std::string> features;
    std::size_t i = 0;
    for (const auto& [key, value] : summary.items()) {
        if (i++ < core)
            out[key] = value;
        else
            features.push_back(key);
    }
    const auto& order = summary_block_order();
    const auto rank = [&](const std::string& key) {
        return std::find(order.begin(), order.end(), key) - order.begin();
    };
    std::stable_sort(features.begin(), features.end(),
                     [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    for (const auto& key : features)
        out[key] = summary.at(key);
    return out;
}

}  // namespace

void judge_messages(SessionRun& run) {
    std::vector<bool> offline_to_end(run.n_clients, false);
    for (std::size_t c = 0; c < run.n_clients; ++c)
        offline_to_end[c] = run.offline[c] && run.offline_until_s >= run.duration_s;
    const auto rules = survival_rules(run.sc, run.duration_s, slowest_poll_s(run));
    const auto& swarms = *run.directory->swarms;
    for (auto& m : run.messages) {
        Holders holders{.recipient_offline = offline_to_end[m.recipient]};
        if (!m.delivered_s && m.stored_s && !m.hash.empty()) {
            const auto account = run.clients[m.recipient]->Client().identity().session_id();
            const auto& members = swarms.members(swarms.swarm_of(account));
            for (const auto& h : run.dynamics->hosts()) {
                if (!h.app->Node().store().find(m.hash))
                    continue;
                const bool in_swarm =
                    std::any_of(members.begin(), members.end(),
                                [&](const auto& c) { return c.ed25519 == h.contact.ed25519; });
                holders.count(NetworkDynamics::running(h), in_swarm);
            }
        }
        m.fate = message_fate(m, holders, rules);
    }
}

RunReport summarize_run(SessionRun& run) {
    RunReport report;
    const auto figures = measure_messages(run.messages, run.requests);
    std::ostringstream network;
    const auto swarms = run.directory->swarms->ids().size();
    network << run.n_nodes << " service nodes in " << swarms << " swarms, " << run.n_clients
            << " clients, " << run.plan.model->name() << " latencies, " << run.sc.text("crypto")
            << " crypto";
    report.line("network", network.str());
    report_messages(figures, true, "the recipient's poll", report);  // summary.json's first blocks
    report.summary["network"] = {
        {"service_nodes", run.n_nodes},
        {"clients", run.n_clients},
        {"offline_clients", std::count(run.offline.begin(), run.offline.end(), true)},
        {"swarms", swarms},
        {"latency_model", run.plan.model->name()}};
    report.summary["network"]["connections_at_end"] = open_connections(run.service_hosts);
    std::vector<const client::Client*> protocol_clients;
    std::uint64_t pool_refreshes = 0;
    for (const auto& c : run.clients) {
        protocol_clients.push_back(&c->Client());
        pool_refreshes += c->PoolRefreshes();
    }
    run.client_costs = measure_client_costs(protocol_clients, pool_refreshes, run.duration_s);
    report_client_costs(run.client_costs, report);
    run.dynamics->report(report);
    report.summary["clients"] = run.client_costs.to_json();
    if (run.background_mode) {
        report.summary["clients"]["active"] =
            std::count(run.active_clients.begin(), run.active_clients.end(), true);
    }
    report_profiles(measure_profiles(run.client_profiles, protocol_clients, run.messages,
                                     run.requests, run.duration_s),
                    report);
    const auto core = report.summary.size();
    for (const auto& f : run.features)
        f->summarize(run, report);
    report.summary = order_blocks(report.summary, core);
    return report;
}

void write_run_results(const SessionRun& run, const nlohmann::ordered_json& summary,
                       const RunCost& cost) {
    HostRoles roles{run.n_nodes, "service_node", {}, {}};
    // hosts.csv marks the nodes the adversary runs (none without one).
    if (const auto* adversary = run.feature<Adversary>())
        roles.adversary = adversary->nodes();
    for (const auto& h : run.service_hosts)
        roles.keys.push_back(h.contact.ed25519);
    write_common_results(run.options, run.sc, summary, run.messages, run.requests, run.hosts,
                         roles);
    const std::filesystem::path dir(run.options.out_dir);
    std::ofstream blocks(dir / "blocks.csv");
    write_blocks_csv(blocks, run.dynamics->blocks());
    std::ofstream events(dir / "node_events.csv");
    write_node_events_csv(events, run.dynamics->node_events());
    std::ofstream swarms(dir / "swarms.csv");
    write_swarm_changes_csv(swarms, run.dynamics->swarm_changes());
    for (const auto& f : run.features)
        f->write(run, dir);
    write_provenance(run.options.out_dir, run.sc, cost);
}

}  // namespace sessionsim::scenario
