// sessionsim run [SCENARIO.toml] [--set key=value | --key=value]... [--seed N] [--runs R]
//                [--out DIR]
// Runs a scenario on the simulated network (the built-in default without a file) and prints a
// readable summary; results go to one folder per run.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <ostream>
#include <sstream>

#include "models/common/errors.h"
#include "sim/cli/command.h"
#include "sim/cli/options.h"
#include "sim/cli/run_table.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/schema.h"

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

/// The run's console lines, in the order its parts reported them (run_report.h), then the
/// files it wrote.
void print_summary(std::ostream& out, const scenario::RunReport& report, const std::string& dir) {
    for (const auto& line : report.lines())
        out << line << "\n";
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
    prepare_output_folder(args.out, "--out");
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
                   << (sc.text("network.transport") == "message"
                           ? ", message-level transport (docs/transport.md)"
                           : "")
                   << (sweep_key.empty() ? "" : ", " + sweep_key + " = " + value) << "\n";
            const auto report = scenario::simulate(
                sc, {dir, args.shared_dir, !args.quiet, isatty(STDERR_FILENO) == 1}, io.err);
            print_summary(io.out, report, dir);
            if (!tabulate)
                continue;
            table.add(value, sc.integer("seed"), report);
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
        ->check(whole_number(0, std::numeric_limits<std::int64_t>::max()));
    cmd->add_option("--runs", args->runs, "independent runs with seeds seed, seed+1, ...")
        ->check(whole_number(1, 1000));
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
