// sessionsim run [SCENARIO.toml] [--set key=value | --key=value]... [--seed N] [--runs R]
//                [--out DIR]
// Runs a scenario on the simulated network (the built-in default without a file) and prints a
// readable summary; results go to one folder per run.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "models/common/errors.h"
#include "sim/cli/command.h"
#include "sim/cli/run_table.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/survival.h"

namespace sessionsim::cli {
namespace {

struct RunArgs {
    std::string scenario;
    std::vector<std::string> overrides;
    std::int64_t seed = -1;
    int runs = 1;
    std::string out = "results/run";
    std::string shared_dir = SESSIONSIM_DEFAULT_SHARED_DIR;
    bool quiet = false;
    bool list_keys = false;
};

/// Every scenario key with its type, default, allowed values and meaning (ns-3's
/// --PrintAttributes for scenarios), from the schema that validation reads.
void print_keys(std::ostream& out) {
    for (const auto& k : scenario::schema()) {
        out << k.key << "  (" << scenario::type_name(k.default_value) << ", default "
            << scenario::render(k.default_value);
        if (k.min && k.max)
            out << ", " << *k.min << " to " << *k.max;
        if (!k.choices.empty()) {
            out << ", one of";
            for (const auto& c : k.choices)
                out << " " << c;
        }
        out << ")\n    " << k.meaning << "\n";
    }
}

std::string ms(const Json& v) {
    if (v.is_null())
        return "-";
    std::ostringstream s;
    s.precision(1);
    s << std::fixed << v.get<double>() << " ms";
    return s.str();
}

void print_summary(std::ostream& out, const Json& s, const std::string& dir) {
    const auto& m = s.at("messages");
    const auto& r = s.at("onion_requests");
    const auto& rtt = s.at("onion_rtt_ms");
    const auto& d = s.at("delivery_delay_ms");
    const auto& net = s.at("network");
    const bool central = net.value("messenger", "session") == "central";
    if (central)
        out << "  network:    centralized operator with " << net.at("datacentres")
            << " data centres, ";
    else
        out << "  network:    " << net.at("service_nodes") << " service nodes in "
            << net.at("swarms") << " swarms, ";
    out << net.at("clients") << " clients, " << net.at("latency_model").get<std::string>()
        << " latencies\n"
        << "  messages:   " << m.at("sent") << " sent, " << m.at("delivered") << " delivered ("
        << m.at("delivery_ratio").get<double>() * 100 << "%), " << m.at("failed") << " failed\n";
    if (!central)
        out << "  onion RTT:  p50 " << ms(rtt.at("p50")) << ", p90 " << ms(rtt.at("p90"))
            << ", p99 " << ms(rtt.at("p99")) << " over " << r.at("ok") << " requests ("
            << r.at("timeouts") << " timed out)\n";
    out << "  delivery:   p50 " << ms(d.at("p50")) << ", p90 " << ms(d.at("p90")) << ", p99 "
        << ms(d.at("p99"))
        << (central ? " from send to the recipient's app\n"
                    : " from send to the recipient's poll\n");
    const auto& sv = s.at("survival");
    out << "  survival:   " << sv.at("delivered") << " delivered, " << sv.at("delivered_late")
        << " late, " << sv.at("lost") << " lost";
    for (const auto& [reason, count] : sv.at("lost_by_reason").items())
        out << (reason == sv.at("lost_by_reason").begin().key() ? " (" : ", ") << count << " "
            << reason;
    out << (sv.at("lost_by_reason").empty() ? "" : ")") << ", " << sv.at("pending_at_end")
        << " pending at the end";
    if (sv.at("awaiting_recipient").get<int>() > 0)
        out << ", " << sv.at("awaiting_recipient") << " waiting for offline recipients";
    out << "\n";
    if (s.contains("groups")) {
        const auto& g = s.at("groups");
        out << "  groups:     " << g.at("groups") << " groups of " << g.at("members_per_group")
            << ", " << g.at("messages") << " messages, " << g.at("deliveries_delivered") << " of "
            << g.at("deliveries_expected").get<std::size_t>() -
                   g.at("deliveries_pending_at_end").get<std::size_t>() -
                   g.at("deliveries_cut_by_removal").get<std::size_t>()
            << " member deliveries (" << g.at("delivery_ratio").get<double>() * 100
            << "%), delay p50 " << ms(g.at("delay_ms").at("p50")) << ", p99 "
            << ms(g.at("delay_ms").at("p99")) << "; " << g.at("members_removed")
            << " members removed, " << g.at("read_after_removal")
            << " messages read after removal\n";
    }
    if (s.contains("attachments")) {
        const auto& a = s.at("attachments");
        out << "  files:      " << a.at("files") << " attachments of " << a.at("bytes_each")
            << " bytes (" << a.at("encrypted_bytes_each") << " encrypted), " << a.at("uploaded")
            << " uploaded (p50 " << ms(a.at("upload_ms").at("p50")) << "), " << a.at("downloaded")
            << " downloaded (p50 " << ms(a.at("download_ms").at("p50")) << "), " << a.at("intact")
            << " intact; the file server saw " << a.at("file_server").at("addresses_seen")
            << " addresses, " << a.at("file_server").at("client_addresses_seen")
            << " of them clients'\n";
    }
    if (s.contains("communities")) {
        const auto& c = s.at("communities");
        out << "  community:  " << c.at("rooms") << " rooms of " << c.at("members_per_room") << ", "
            << c.at("posts") << " posts, " << c.at("deliveries_delivered") << " member deliveries ("
            << c.at("delivery_ratio").get<double>() * 100 << "%), delay p50 "
            << ms(c.at("delay_ms").at("p50")) << "; the operator read "
            << c.at("operator").at("posts_read_in_clear") << " posts in clear under "
            << c.at("operator").at("blinded_ids_seen") << " blinded IDs, "
            << c.at("operator").at("client_addresses_seen") << " client addresses\n";
    }
    if (s.contains("endpoint")) {
        const auto& e = s.at("endpoint");
        out << "  endpoint:   spyware on client " << e.at("client") << " reads "
            << e.at("messages_read_in_clear") << " messages in clear (" << e.at("sent") << " sent, "
            << e.at("received") << " received), " << e.at("contacts") << " contacts, "
            << e.at("groups") << " groups and " << e.at("group_members_seen_writing")
            << " members writing in them\n";
    }
    if (s.contains("push")) {
        const auto& p = s.at("push");
        out << "  push:       " << p.at("clients_subscribed") << " devices subscribed, "
            << p.at("notifications_received") << " notifications, " << p.at("messages_in_payload")
            << " messages delivered in them; the push server knows "
            << p.at("push_server").at("accounts_known")
            << " accounts with their device tokens (and "
            << p.at("push_server").at("client_addresses_seen")
            << " client addresses), the platform "
            << p.at("platform").at("tokens_with_device_address")
            << " tokens with device addresses: together "
            << p.at("accounts_linkable_to_device_address_if_both_collude")
            << " accounts tied to an address\n";
    }
    if (const auto& cl = s.at("clients"); cl.contains("requests_per_client_hour"))
        out << "  load:       " << cl.at("requests_per_client_hour")
            << " onion requests per client per hour (" << cl.at("polls_per_client_hour")
            << " polls)\n";
    const auto c = s.value("churn", Json::object());
    if (c.value("node_downs", 0) > 0 || c.value("joins", 0) > 0) {
        const auto& delay = c.at("decommission_delay_h");
        out << "  churn:      " << c.at("node_downs") << " node failures, " << c.at("decommissions")
            << " decommissioned";
        if (!delay.at("mean").is_null())
            out << " (mean " << delay.at("mean") << " h after going silent; §3.2 expects "
                << delay.at("expected_mean") << " h"
                << (delay.at("unfinished").get<std::size_t>() > 0
                        ? ", but " + delay.at("unfinished").dump() +
                              " outages ended or outlasted the run first"
                        : std::string())
                << ")";
        const auto& rate = c.at("decommission_rate_per_failing_block");
        if (!rate.at("measured").is_null() && !rate.at("expected").is_null())
            out << ", " << rate.at("measured")
                << " of failing nodes per block (§3.2: " << rate.at("expected") << " +/- "
                << rate.at("interval") << ")";
        out << ", " << c.at("recommissions") << " recommissioned, " << c.at("deregistrations")
            << " deregistered, " << c.at("messages_resynced") << " messages re-synced ("
            << c.at("resync_bytes") << " bytes)\n";
    }
    if (s.contains("adversary")) {
        const auto& a = s.at("adversary");
        const auto& positions = a.at("onion_requests");
        out << "  adversary:  " << a.at("nodes") << " nodes ("
            << a.at("placement").get<std::string>() << "), guard for "
            << a.at("client_addresses_seen") << " client addresses, saw " << a.at("accounts_seen")
            << " accounts; guard and destination on "
            << positions.at("guard_and_destination").get<double>() * 100
            << "% of requests (expected "
            << positions.at("expected_guard_and_destination").get<double>() * 100 << "%)\n";
        const auto& timing = a.at("linkage").at("timing_correlator");
        out << "  linkage:    a " << timing.at("window_s") << " s timing correlator finds "
            << timing.at("called_true") << " of " << timing.at("true_pairs")
            << " positioned requests (TPR " << timing.at("tpr") << ", FPR " << timing.at("fpr")
            << ", precision " << timing.at("precision") << "); its best guess names the sender "
            << timing.at("best_guess_accuracy").get<double>() * 100 << "% of the time\n";
        const auto& rel = a.at("relationships");
        out << "  relations:  " << rel.at("linked") << " of " << rel.at("stores")
            << " message stores linked to sender and recipient ("
            << rel.at("relationship_linkage_rate").get<double>() * 100 << "%), "
            << rel.at("social_graph").at("recovered") << " of "
            << rel.at("social_graph").at("edges")
            << " social-graph edges recovered, sender entropy "
            << rel.at("mean_sender_entropy_bits") << " bits (degree " << rel.at("sender_degree")
            << ")\n";
        if (a.contains("storage")) {
            const auto& st = a.at("storage");
            out << "  storage:    its nodes hold " << st.at("stored_messages_held") << " of "
                << st.at("stored_messages") << " stored messages ("
                << st.at("held_fraction").get<double>() * 100 << "%; expected "
                << st.at("expected_held_fraction").get<double>() * 100
                << "%, a malicious member in the recipient's swarm), for " << st.at("accounts_held")
                << " accounts\n";
        }
        if (const auto& l = a.at("link_observer"); !l.is_null()) {
            const auto& t = l.at("timing_correlator");
            out << "  links:      watching " << l.at("links").get<std::string>()
                << " links, it saw " << l.at("both_ends_seen").get<double>() * 100
                << "% of requests at both ends; its timing correlator: TPR " << t.at("tpr")
                << ", FPR " << t.at("fpr") << ", precision " << t.at("precision")
                << ", best guess right " << t.at("best_guess_accuracy").get<double>() * 100
                << "% of the time\n";
        }
        const auto& users = a.at("users");
        out << "  users:      " << users.at("compromised") << " of " << users.at("users")
            << " users had a message with a malicious guard and destination ("
            << users.at("path_selection").get<std::string>() << " paths, mean "
            << users.at("mean_stores")
            << " messages each); by message count, measured vs "
               "expected:";
        for (const auto& row : users.at("by_messages"))
            out << " " << row.at("messages") << ": " << row.at("compromised_fraction") << " vs "
                << row.at("expected");
        out << "\n";
    }
    if (s.contains("outage")) {
        const auto& o = s.at("outage");
        out << "  outage:     " << o.at("during").at("sent") << " messages sent during the "
            << o.at("duration_s").get<double>() / 60 << " min outage, "
            << o.at("during").at("delivered") << " delivered, mean delay "
            << o.at("during").at("mean_delay_s")
            << " s (before it: " << o.at("before").at("mean_delay_s") << " s)";
        if (o.contains("expected_extra_delay_s"))
            out << "; extra " << o.at("mean_extra_delay_s")
                << " s vs D/2 = " << o.at("expected_extra_delay_s") << " s expected";
        out << "\n";
    }
    if (s.contains("operator")) {
        const auto& o = s.at("operator");
        out << "  operator:   logged " << o.at("messages_seen") << " of " << o.at("messages_sent")
            << " messages with sender and recipient; links "
            << o.at("relationship_linkage_rate").get<double>() * 100
            << "% of sender-recipient pairs (sender entropy " << o.at("mean_sender_entropy_bits")
            << " bits), " << o.at("social_graph").at("recovered") << " of "
            << o.at("social_graph").at("edges") << " social-graph edges\n";
    }
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.is_regular_file())
            files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    out << "  results:    " << dir << "/{";
    for (std::size_t i = 0; i < files.size(); ++i)
        out << (i ? "," : "") << files[i];
    out << "}\n";
}

std::vector<std::string> split_values(const std::string& list) {
    std::vector<std::string> out;
    std::istringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

/// Runs the scenario (--runs times), or for a sweep once per value of sweep.key, writing
/// <out>/<key>=<value>/ folders and <out>/sweep.csv.
void run(const RunArgs& args, CommandOutput& io) {
    const auto path = args.scenario.empty() ? std::nullopt : std::optional(args.scenario);
    const auto base = scenario::Scenario::load(path, args.overrides);
    const std::int64_t first_seed = args.seed >= 0 ? args.seed : base.integer("seed");
    const std::string sweep_key = base.text("sweep.key");
    std::vector<std::string> values{""};
    if (!sweep_key.empty()) {
        values = split_values(base.text("sweep.values"));
        if (values.empty())
            throw scenario::ScenarioError(base.source() +
                                          ": sweep.values: empty (give comma-separated values "
                                          "for " +
                                          sweep_key + ")");
    }
    // One row per run; with repetitions, the mean and its interval per value too. Rewritten
    // after every run, so an interrupted sweep keeps what it finished.
    RunTable table(sweep_key.empty() ? "value" : sweep_key);
    const bool tabulate = !sweep_key.empty() || args.runs > 1;
    const std::string table_file = args.out + (sweep_key.empty() ? "/runs.csv" : "/sweep.csv");
    for (const auto& value : values) {
        for (int run = 0; run < args.runs; ++run) {
            auto overrides = args.overrides;
            if (!sweep_key.empty())
                overrides.push_back(sweep_key + "=" + value);
            overrides.push_back("seed=" + std::to_string(first_seed + run));
            const auto sc = scenario::Scenario::load(path, overrides);
            std::string dir = args.out;
            if (!sweep_key.empty())
                dir += "/" + sweep_key + "=" + value;
            if (args.runs > 1) {
                char suffix[32];
                std::snprintf(suffix, sizeof(suffix), "/run-%03d", run + 1);
                dir += suffix;
            }
            io.out << "sessionsim run: " << sc.source() << ", seed " << sc.integer("seed") << ", "
                   << sc.number("duration_s") << " simulated s"
                   << (sweep_key.empty() ? "" : ", " + sweep_key + " = " + value) << "\n";
            const auto summary = scenario::run_scenario(
                sc, {dir, args.shared_dir, !args.quiet, isatty(STDERR_FILENO) == 1}, io.err);
            print_summary(io.out, summary, dir);
            if (!tabulate)
                continue;
            table.add(value, sc.integer("seed"), summary);
            std::filesystem::create_directories(args.out);
            std::ofstream rows(table_file);
            table.write_rows(rows);
            if (args.runs > 1) {
                std::ofstream aggregate(args.out + "/aggregate.csv");
                table.write_aggregate(aggregate);
            }
        }
    }
    if (tabulate) {
        io.out << "table: " << table_file
               << (args.runs > 1 ? " (and " + args.out + "/aggregate.csv: mean, 95% CI)" : "")
               << "\n";
    }
}

}  // namespace

void add_run_command(CLI::App& app, CommandOutput& io) {
    auto args = std::make_shared<RunArgs>();
    auto* cmd = app.add_subcommand(
        "run", "Run a scenario on the simulated network (default: built-in scenario)");
    cmd->add_option("SCENARIO", args->scenario, "scenario TOML file (see scenarios/)");
    cmd->add_option("--set", args->overrides, "override a scenario key: key=value (repeatable)");
    cmd->add_option("--seed", args->seed, "run seed (overrides the scenario's)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--runs", args->runs, "independent runs with seeds seed, seed+1, ...")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--out", args->out, "results folder")->capture_default_str();
    cmd->add_option("--shared-dir", args->shared_dir, "folder holding data/ (measured latencies)")
        ->capture_default_str();
    cmd->add_flag("--quiet", args->quiet, "no progress line");
    cmd->add_flag("--list-keys", args->list_keys,
                  "print every scenario key with its type, default, range and meaning, and exit");
    // ns-3's convention: any scenario key as an option, --network.clients=500, the same as
    // --set network.clients=500, so tools written for ns-3 programs can drive runs.
    cmd->allow_extras();
    cmd->callback([&io, args, cmd] {
        for (const auto& extra : cmd->remaining()) {
            const auto eq = extra.find('=');
            if (extra.rfind("--", 0) != 0 || eq == std::string::npos ||
                !scenario::find_key(extra.substr(2, eq - 2))) {
                throw InvalidInput("unknown option " + extra +
                                   " (scenario keys go as --KEY=VALUE or --set KEY=VALUE; "
                                   "run --list-keys lists them)");
            }
            args->overrides.push_back(extra.substr(2));
        }
        if (args->list_keys)
            print_keys(io.out);
        else
            run(*args, io);
    });
}

}  // namespace sessionsim::cli
