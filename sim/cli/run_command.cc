// sessionsim run [SCENARIO.toml] [--set key=value]... [--seed N] [--runs R] [--out DIR]
// Runs a scenario on the simulated network (the built-in default without a file) and prints a
// readable summary; results go to one folder per run.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <ostream>

#include "sim/cli/command.h"
#include "sim/scenario/runner.h"

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
};

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
        << ms(d.at("p99")) << " from send to the recipient's poll\n"
        << "  results:    " << dir
        << "/{summary.json,messages.csv,requests.csv,config.toml,provenance.json}\n";
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
    cmd->callback([&io, args] {
        std::vector<std::string> overrides = args->overrides;
        auto base = scenario::Scenario::load(
            args->scenario.empty() ? std::nullopt : std::optional(args->scenario), overrides);
        const std::int64_t first_seed = args->seed >= 0 ? args->seed : base.integer("seed");
        for (int run = 0; run < args->runs; ++run) {
            auto runs_overrides = overrides;
            runs_overrides.push_back("seed=" + std::to_string(first_seed + run));
            const auto sc = scenario::Scenario::load(
                args->scenario.empty() ? std::nullopt : std::optional(args->scenario),
                runs_overrides);
            char suffix[32];
            std::snprintf(suffix, sizeof(suffix), "/run-%03d", run + 1);
            const std::string dir = args->runs == 1 ? args->out : args->out + suffix;
            io.out << "sessionsim run: " << sc.source() << ", seed " << sc.integer("seed") << ", "
                   << sc.number("duration_s") << " simulated s\n";
            const auto summary =
                scenario::run_scenario(sc, {dir, args->shared_dir, !args->quiet}, io.err);
            print_summary(io.out, summary, dir);
        }
    });
}

}  // namespace sessionsim::cli
