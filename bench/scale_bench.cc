// The whole simulator at Session's size: 2,000 service nodes with 1,000, 5,000 and 10,000
// clients over 5 simulated minutes of the default workload (poll every 5 s, a message a minute,
// 3-hop onions, measured latencies). Each size runs in a child process of its own, so that its
// peak RSS is its own; ns-3's raw scheduler rate (empty events) is measured in the same run, so
// that the ratio is comparable across machines. Each size runs at each transport level
// (network.transport: ns-3's packets, then the modelled connections). Prints one table row per
// level and size -- with the events each onion request costs and the memory per host -- and the
// exponent of wall time against clients between consecutive sizes; --json writes the same.
//
//   bench_scale [--nodes 2000] [--clients 1000,5000,10000] [--duration 300]
//               [--transport packet,message] [--set key=value]...
//   bench_scale --scenario scenarios/full-scale.toml --clients 1000,10000,100000 --duration 3600
//       (issue 9's series: the full-scale mix of active and background phones)
//   bench_scale --event-census ...
//       (also: the events each onion request costs, by the callable that runs them)
//
// Not a Google Benchmark: one run of a size takes minutes and must not be repeated.
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ns3/core-module.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "models/common/version.h"
#include "sim/scenario/event_census.h"
#include "sim/scenario/runner.h"

namespace {

namespace fs = std::filesystem;
using sessionsim::scenario::Scenario;

/// ns-3's default scheduler alone, as in its own bench-scheduler "hold" model: a fixed population
/// of pending empty events, each of which schedules its successor a random delay ahead. Timed
/// from first schedule to the last event, so that insert, remove and dispatch are all counted.
double raw_scheduler_events_per_s() {
    constexpr int kPending = 10'000;
    constexpr std::uint64_t kEvents = 2'000'000;
    auto delay = ns3::CreateObject<ns3::ExponentialRandomVariable>();
    delay->SetAttribute("Mean", ns3::DoubleValue(1e6));  // ns
    std::uint64_t done = 0;
    std::function<void()> hold = [&] {
        if (++done + kPending <= kEvents)
            ns3::Simulator::Schedule(ns3::NanoSeconds(static_cast<int64_t>(delay->GetValue())),
                                     hold);
    };
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kPending; ++i)
        ns3::Simulator::Schedule(ns3::NanoSeconds(static_cast<int64_t>(delay->GetValue())), hold);
    ns3::Simulator::Run();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ns3::Simulator::Destroy();
    return static_cast<double>(done) / wall;
}

struct SizeResult {
    std::size_t clients = 0;
    nlohmann::json provenance;
    nlohmann::json summary;
    double peak_rss_mib = 0;  // the child's, from wait4
    nlohmann::json census;    // with --event-census: callable -> {scheduled, cancelled}
};

/// The callables that schedule the most events, per onion request, largest first.
void print_census(const nlohmann::json& census, double onions, std::size_t top) {
    std::vector<std::pair<double, std::string>> rows;
    for (const auto& item : census.items())
        rows.emplace_back(item.value().at("scheduled").get<double>(), item.key());
    std::sort(rows.rbegin(), rows.rend());
    std::cout << "    scheduled/onion  cancelled  callable\n";
    for (std::size_t i = 0; i < rows.size() && i < top; ++i) {
        const auto& tally = census.at(rows[i].second);
        std::cout << "    " << std::setw(15) << std::setprecision(2) << rows[i].first / onions
                  << std::setw(10) << std::setprecision(0)
                  << 100 * tally.at("cancelled").get<double>() / std::max(rows[i].first, 1.0)
                  << "%  " << rows[i].second << "\n";
    }
}

/// Runs one size in a child process; the child writes a results folder the parent reads back.
SizeResult run_size(const std::optional<std::string>& scenario,
                    const std::vector<std::string>& settings, std::size_t clients,
                    const fs::path& out, const std::string& shared_dir, bool census) {
    std::cout.flush();
    const pid_t child = fork();
    if (child < 0)
        throw std::runtime_error("fork failed");
    if (child == 0) {
        try {
            auto with_clients = settings;
            with_clients.push_back("network.clients=" + std::to_string(clients));
            std::ostringstream quiet;
            if (census)
                sessionsim::scenario::start_event_census();
            sessionsim::scenario::run_scenario(Scenario::load(scenario, with_clients),
                                               {out.string(), shared_dir, false}, quiet);
            if (census) {
                nlohmann::json tallies = nlohmann::json::object();
                for (const auto& [name, tally] : sessionsim::scenario::event_census())
                    tallies[name] = {{"scheduled", tally.scheduled},
                                     {"cancelled", tally.cancelled}};
                std::ofstream(out / "event_census.json") << tallies.dump(1) << "\n";
            }
            std::_Exit(0);
        } catch (const std::exception& e) {
            std::cerr << "bench_scale: " << clients << " clients: " << e.what() << "\n";
            std::_Exit(1);
        }
    }
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("the run with " + std::to_string(clients) + " clients failed");
    SizeResult r;
    r.clients = clients;
    r.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024;
    r.provenance = nlohmann::json::parse(std::ifstream(out / "provenance.json"));
    r.summary = nlohmann::json::parse(std::ifstream(out / "summary.json"));
    if (census)
        r.census = nlohmann::json::parse(std::ifstream(out / "event_census.json"));
    return r;
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> items;
    std::istringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        items.push_back(item);
    return items;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("sessionsim at scale: events/s, wall time and peak RSS against clients");
    std::size_t nodes = 2000;
    std::string clients_list = "1000,5000,10000";
    std::string levels_list = "packet,message";
    double duration = 300;
    std::vector<std::string> extra;
    std::string json_out;
    std::string shared_dir = SESSIONSIM_DEFAULT_SHARED_DIR;
    std::string work = (fs::temp_directory_path() / "sessionsim-bench-scale").string();
    std::string scenario_file;
    bool census = false;
    std::size_t census_top = 20;
    app.add_flag("--event-census", census,
                 "also count each size's events by the callable that runs them (same results)");
    app.add_option("--census-top", census_top, "callables to list per size")->capture_default_str();
    app.add_option("--scenario", scenario_file,
                   "scenario file to scale (default: the built-in default workload)");
    app.add_option("--nodes", nodes, "service nodes")->capture_default_str();
    app.add_option("--clients", clients_list, "client counts, comma-separated")
        ->capture_default_str();
    app.add_option("--duration", duration, "simulated seconds")->capture_default_str();
    app.add_option("--transport", levels_list,
                   "transport levels to run each size at (network.transport), comma-separated")
        ->capture_default_str();
    app.add_option("--set", extra, "any other scenario key=value (repeatable)");
    app.add_option("--json", json_out, "also write the results as JSON to this file");
    app.add_option("--work", work, "folder for the runs' results")->capture_default_str();
    app.add_option("--shared-dir", shared_dir, "folder holding data/")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::vector<std::string> settings{"network.service_nodes=" + std::to_string(nodes),
                                      "duration_s=" + std::to_string(duration)};
    settings.insert(settings.end(), extra.begin(), extra.end());
    const auto scenario =
        scenario_file.empty() ? std::nullopt : std::optional<std::string>(scenario_file);
    const auto levels = split(levels_list);
    std::string crypto_mode;  // the scenario's, or --set's: printed, since it halves the wall time
    try {
        for (const auto& level : levels) {  // bad settings fail here, before any run
            crypto_mode = Scenario::load(scenario,
                                         [&] {
                                             auto with_level = settings;
                                             with_level.push_back("network.transport=" + level);
                                             return with_level;
                                         }())
                              .text("crypto");
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_scale: " << e.what() << "\n";
        return 2;
    }

    // Measured first, in this process, so that every child forks from the same small parent.
    const double raw = raw_scheduler_events_per_s();
    malloc_trim(0);
    std::cout << "sessionsim " << sessionsim::version() << ": " << nodes << " service nodes, "
              << duration << " simulated s, " << crypto_mode << " crypto; ns-3 raw scheduler "
              << std::fixed << std::setprecision(0) << raw << " events/s\n\n"
              << "  level     clients     events  ev/onion   wall s  set-up s   events/s  of raw"
                 "  sim-s/wall-s  peak RSS MiB  KiB/host  delivered\n";
    nlohmann::ordered_json report{{"version", std::string(sessionsim::version())},
                                  {"service_nodes", nodes},
                                  {"simulated_s", duration},
                                  {"crypto", crypto_mode},
                                  {"settings", settings},
                                  {"raw_scheduler_events_per_s", std::round(raw)},
                                  {"sizes", nlohmann::json::array()}};
    for (const auto& level : levels) {
        auto level_settings = settings;
        level_settings.push_back("network.transport=" + level);
        std::vector<SizeResult> results;
        for (const auto& size : split(clients_list)) {
            const auto clients = static_cast<std::size_t>(std::stoul(size));
            const auto r = run_size(scenario, level_settings, clients,
                                    fs::path(work) / (level + "-" + size), shared_dir, census);
            const auto events = r.provenance.at("events").get<double>();
            const auto wall = r.provenance.at("wall_clock_s").get<double>();
            const auto& host = r.provenance.at("host");
            const auto setup = host.at("setup_s").get<double>();
            // The event loop's rate (set-up excluded), as the raw scheduler's is.
            const auto rate = host.at("events_per_wall_s").get<double>();
            const auto hosts = static_cast<double>(nodes + clients);
            const auto& messages = r.summary.at("messages");
            const auto onions = r.summary.at("onion_requests").at("total").get<double>();
            std::cout << "  " << std::left << std::setw(8) << level << std::right << std::setw(9)
                      << clients << std::setw(11) << std::setprecision(0) << events << std::setw(10)
                      << std::setprecision(1) << events / std::max(onions, 1.0) << std::setw(9)
                      << wall << std::setw(10) << setup << std::setw(11) << std::setprecision(0)
                      << rate << std::setw(7) << std::setprecision(1) << 100 * rate / raw << "%"
                      << std::setw(14) << std::setprecision(2) << duration / wall << std::setw(14)
                      << std::setprecision(0) << r.peak_rss_mib << std::setw(10)
                      << std::setprecision(1) << r.peak_rss_mib * 1024 / hosts << std::setw(7)
                      << messages.at("delivered").get<int>() << "/"
                      << messages.at("sent").get<int>() << "\n";
            if (census)
                print_census(r.census, std::max(onions, 1.0), census_top);
            report["sizes"].push_back({{"transport", level},
                                       {"clients", clients},
                                       {"events", events},
                                       {"events_per_onion_request", events / std::max(onions, 1.0)},
                                       {"wall_s", wall},
                                       {"setup_s", setup},
                                       {"events_per_s", rate},
                                       {"fraction_of_raw", rate / raw},
                                       {"sim_s_per_wall_s", duration / wall},
                                       {"peak_rss_mib", r.peak_rss_mib},
                                       {"mib_per_host", r.peak_rss_mib / hosts},
                                       {"messages", messages},
                                       {"onion_requests", r.summary.at("onion_requests")},
                                       {"event_census", r.census}});
            results.push_back(r);
        }
        // How cost grows: wall ~ clients^k between consecutive sizes.
        for (std::size_t i = 1; i < results.size(); ++i) {
            const double k =
                std::log(results[i].provenance.at("wall_clock_s").get<double>() /
                         results[i - 1].provenance.at("wall_clock_s").get<double>()) /
                std::log(static_cast<double>(results[i].clients) / results[i - 1].clients);
            std::cout << "  " << level << ": wall time grows as clients^" << std::setprecision(2)
                      << k << " from " << results[i - 1].clients << " to " << results[i].clients
                      << " clients\n";
            report["growth_exponents"].push_back({{"transport", level},
                                                  {"from", results[i - 1].clients},
                                                  {"to", results[i].clients},
                                                  {"exponent", k}});
        }
    }
    if (!json_out.empty())
        std::ofstream(json_out) << report.dump(2) << "\n";
    return 0;
}
