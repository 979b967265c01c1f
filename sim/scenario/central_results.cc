#include "sim/scenario/central_results.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "models/storage/swarm_view.h"
#include "sim/metrics/anonymity.h"
#include "sim/scenario/message_report.h"
#include "sim/scenario/survival.h"

namespace sessionsim::scenario {
namespace {

void write_operator_log(std::ostream& out, const std::vector<central::OperatorRecord>& log) {
    out << "time_s,datacentre,sender_ip,sender,recipient,id,bytes\n";
    for (const auto& r : log) {
        char time[32];
        std::snprintf(time, sizeof(time), "%.6f",
                      static_cast<double>(r.at_ms - apps::kEpochMs) / 1000);
        out << time << ',' << r.datacentre << ',' << storage::ipv4_string(r.sender_ip) << ','
            << r.sender << ',' << r.recipient << ',' << r.id << ',' << r.bytes << '\n';
    }
}

/// What the operator's log reveals, scored against the truth: for each message sent, whether
/// the log names its sender (account and address) and recipient, the operator's sender and
/// recipient entropy (uniform over the accounts its records leave possible), and how much of
/// the social graph (pairs that exchanged a message) it recovers. Reports summary.json's
/// "operator" block, its console line and the metadata cells it shares with the Session
/// adversary.
void report_operator(const CentralRun& run, RunReport& report) {
    const auto& log = run.log;
    const auto& messages = run.messages;
    const auto& app_ids = run.app_ids;
    const auto& accounts = run.accounts;
    const auto& client_hosts = run.in.client_hosts;
    // (sender account, its message id) -> what the operator wrote down; a retry logs again.
    std::map<std::pair<std::string, std::uint64_t>, std::vector<const central::OperatorRecord*>>
        by_message;
    for (const auto& r : log)
        by_message[{r.sender, r.id}].push_back(&r);
    std::size_t seen = 0, pair_linked = 0, address_linked = 0;
    double sender_entropy = 0, recipient_entropy = 0;
    std::set<std::pair<std::size_t, std::size_t>> edges, recovered;
    for (const auto& m : messages) {
        edges.emplace(m.sender, m.recipient);
        if (!app_ids[m.id])
            continue;
        const auto it = by_message.find({accounts[m.sender], *app_ids[m.id]});
        if (it == by_message.end())
            continue;
        ++seen;
        std::set<std::string> senders, recipients;
        bool address = false;
        for (const auto* r : it->second) {
            senders.insert(r->sender);
            recipients.insert(r->recipient);
            address |= r->sender_ip == client_hosts[m.sender].ipv4;
        }
        sender_entropy +=
            metrics::measure_uniform(static_cast<double>(senders.size())).entropy_bits;
        recipient_entropy +=
            metrics::measure_uniform(static_cast<double>(recipients.size())).entropy_bits;
        if (senders.size() == 1 && *senders.begin() == accounts[m.sender] &&
            recipients.size() == 1 && *recipients.begin() == accounts[m.recipient]) {
            ++pair_linked;
            recovered.emplace(m.sender, m.recipient);
        }
        address_linked += address;
    }
    const auto ratio = [](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0
                      : std::round(static_cast<double>(a) / static_cast<double>(b) * 1e6) / 1e6;
    };
    const auto mean = [&](double sum) {
        return seen == 0 ? 0.0 : std::round(sum / static_cast<double>(seen) * 1e6) / 1e6;
    };
    const double linkage = ratio(pair_linked, messages.size());
    const double entropy = mean(sender_entropy);
    const double graph_recovered = ratio(recovered.size(), edges.size());
    report.summary["operator"] = {{"records", log.size()},
                                  {"messages_sent", messages.size()},
                                  {"messages_seen", seen},
                                  {"relationship_linkage_rate", linkage},
                                  {"sender_address_rate", ratio(address_linked, messages.size())},
                                  {"mean_sender_entropy_bits", entropy},
                                  {"mean_recipient_entropy_bits", mean(recipient_entropy)},
                                  {"social_graph",
                                   {{"edges", edges.size()},
                                    {"recovered", recovered.size()},
                                    {"fraction", graph_recovered}}}};
    std::ostringstream line;
    line << "logged " << seen << " of " << messages.size()
         << " messages with sender and recipient; links " << linkage * 100
         << "% of sender-recipient pairs (sender entropy " << number_text(entropy) << " bits), "
         << recovered.size() << " of " << edges.size() << " social-graph edges";
    report.line("operator", line.str());
    report.measure("relationship_linkage_rate", linkage);
    report.measure("mean_sender_entropy_bits", entropy);
    report.measure("social_graph_recovered", graph_recovered);
}

}  // namespace

void judge_central_messages(CentralRun& run) {
    // Fates: an undelivered message acknowledged by the operator waits in its recipient's
    // mailbox (a "live holder") unless the operator is down at the end.
    const SurvivalRules rules{.end_s = run.duration_s,
                              .ttl_s = 30 * 86400.0,
                              .late_after_s = run.sc.number("metrics.late_after_s"),
                              .pending_window_s = run.sc.number("client.request_timeout_s") +
                                                  run.sc.number("central.reconnect_interval_s")};
    for (auto& m : run.messages) {
        Holders holders{.recipient_offline =
                            run.offline[m.recipient] && run.offline_until_s >= run.duration_s};
        if (!m.delivered_s && m.stored_s && run.app_ids[m.id]) {
            const auto& dc = run.servers[run.home[m.recipient]];
            if (dc->Server().holds(run.accounts[m.recipient], run.accounts[m.sender],
                                   *run.app_ids[m.id]))
                ++(dc->IsDark() ? holders.down : holders.up_in_swarm);
        }
        m.fate = message_fate(m, holders, rules);
    }
}

RunReport summarize_central_run(const CentralRun& run) {
    std::uint64_t reconnects = 0, unsent = 0;
    for (const auto& c : run.clients) {
        reconnects += c->Reconnects();
        unsent += c->Client().outbox_size();
    }
    RunReport report;
    std::ostringstream network;
    network << "centralized operator with " << run.n_dc << " data centres, " << run.n_clients
            << " clients, " << run.in.model.name() << " latencies, " << run.sc.text("crypto")
            << " crypto";
    report.line("network", network.str());
    report_messages(measure_messages(run.messages, {}), false, "the recipient's app", report);
    report.summary["network"] = {
        {"messenger", "central"},
        {"datacentres", run.n_dc},
        {"clients", run.n_clients},
        {"offline_clients", std::count(run.offline.begin(), run.offline.end(), true)},
        {"latency_model", run.in.model.name()}};
    report.summary["clients"] = {{"reconnects", reconnects}, {"still_in_outbox", unsent}};
    report_operator(run, report);
    if (run.outage_for_s > 0) {
        // Held on the device until the operator is back: uniform over the outage, so D/2 (§4).
        report_outage(measure_outage_window(run.messages, run.outage_at_s, run.outage_for_s),
                      run.outage_for_s / 2, report);
    }
    return report;
}

void write_central_results(const CentralRun& run, const nlohmann::ordered_json& summary,
                           const RunCost& cost) {
    write_common_results(run.options, run.sc, summary, run.messages, {}, run.hosts,
                         {run.n_dc, "datacentre", {}, {}});
    std::ofstream log_csv(std::filesystem::path(run.options.out_dir) / "operator_log.csv");
    write_operator_log(log_csv, run.log);
    write_provenance(run.options.out_dir, run.sc, cost);
}

}  // namespace sessionsim::scenario
