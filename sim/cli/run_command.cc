// sessionsim run [SCENARIO.toml] [--set key=value]... [--seed N] [--runs R] [--out DIR]
// Runs a scenario on the simulated network (the built-in default without a file) and prints a
// readable summary; results go to one folder per run.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "sim/cli/command.h"
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
    out << "  network:    " << s.at("network").at("service_nodes") << " service nodes in "
        << s.at("network").at("swarms") << " swarms, " << s.at("network").at("clients")
        << " clients, " << s.at("network").at("latency_model").get<std::string>() << " latencies\n"
        << "  messages:   " << m.at("sent") << " sent, " << m.at("delivered") << " delivered ("
        << m.at("delivery_ratio").get<double>() * 100 << "%), " << m.at("failed") << " failed\n"
        << "  onion RTT:  p50 " << ms(rtt.at("p50")) << ", p90 " << ms(rtt.at("p90")) << ", p99 "
        << ms(rtt.at("p99")) << " over " << r.at("ok") << " requests (" << r.at("timeouts")
        << " timed out)\n"
        << "  delivery:   p50 " << ms(d.at("p50")) << ", p90 " << ms(d.at("p90")) << ", p99 "
        << ms(d.at("p99")) << " from send to the recipient's poll\n";
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
    const auto& c = s.at("churn");
    if (c.at("node_downs").get<int>() > 0 || c.at("joins").get<int>() > 0) {
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

/// sweep.csv's adversary columns: name, and where summary.json has the value.
constexpr std::array<std::pair<const char*, const char*>, 8> kAdversaryColumns{{
    {"adversary_fraction", "/adversary/fraction"},
    {"guard_and_destination", "/adversary/onion_requests/guard_and_destination"},
    {"expected_guard_and_destination", "/adversary/onion_requests/expected_guard_and_destination"},
    {"correlation_window_s", "/adversary/linkage/timing_correlator/window_s"},
    {"correlator_tpr", "/adversary/linkage/timing_correlator/tpr"},
    {"correlator_fpr", "/adversary/linkage/timing_correlator/fpr"},
    {"correlator_precision", "/adversary/linkage/timing_correlator/precision"},
    {"best_guess_accuracy", "/adversary/linkage/timing_correlator/best_guess_accuracy"},
}};

/// One row of sweep.csv: the swept value and what the run measured.
void write_sweep_row(std::ostream& out, const std::string& value, std::int64_t seed,
                     const Json& s) {
    const auto& m = s.at("messages");
    const auto& sv = s.at("survival");
    const auto& rtt = s.at("onion_rtt_ms").at("p50");
    out << value << ',' << seed << ',' << m.at("sent") << ',' << m.at("delivered") << ','
        << m.at("delivery_ratio") << ',' << sv.at("delivered_late") << ',' << sv.at("lost") << ','
        << sv.at("loss_ratio");
    for (const auto reason : scenario::kLossReasons)
        out << ',' << sv.at("lost_by_reason").value(std::string(reason), 0);
    out << ',' << (rtt.is_null() ? std::string() : rtt.dump());
    // The adversary's columns, empty when the run had none.
    for (const auto& [name, where] : kAdversaryColumns)
        out << ','
            << (s.contains(Json::json_pointer(where)) ? s.at(Json::json_pointer(where)).dump()
                                                      : std::string());
    out << '\n';
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
    std::ofstream sweep_csv;
    if (!sweep_key.empty()) {
        std::filesystem::create_directories(args.out);
        sweep_csv.open(args.out + "/sweep.csv");
        sweep_csv << sweep_key
                  << ",seed,sent,delivered,delivery_ratio,delivered_late,lost,"
                     "loss_ratio";
        for (const auto reason : scenario::kLossReasons) {
            std::string column = "lost_" + std::string(reason);
            std::replace_if(
                column.begin(), column.end(), [](char ch) { return ch == ' ' || ch == '-'; }, '_');
            sweep_csv << ',' << column;
        }
        sweep_csv << ",onion_rtt_p50_ms";
        for (const auto& [name, where] : kAdversaryColumns)
            sweep_csv << ',' << name;
        sweep_csv << '\n';
    }
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
            if (sweep_csv.is_open())
                write_sweep_row(sweep_csv, value, sc.integer("seed"), summary);
        }
    }
    if (sweep_csv.is_open())
        io.out << "sweep table: " << args.out << "/sweep.csv\n";
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
    cmd->callback([&io, args] {
        if (args->list_keys)
            print_keys(io.out);
        else
            run(*args, io);
    });
}

}  // namespace sessionsim::cli
