#include "sim/scenario/run_support.h"

#include "sim/net/country_codes.h"

#include <ns3/double.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <sys/resource.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "models/common/version.h"
#include "models/crypto/hash.h"
#include "models/storage/swarm_view.h"
#include "sim/apps/message_transport.h"
#include "sim/net/csv_table.h"

namespace sessionsim::scenario {

net::Wan build_network(const Scenario& sc, const std::vector<net::PlacedHost>& hosts,
                       const net::LatencyModel& model, std::uint64_t seed) {
    net::Wan wan;
    const bool message_level = sc.text("network.transport") == "message";
    try {
        wan = net::build_wan(hosts, model,
                             {.up_rate = sc.text("network.access_up"),
                              .down_rate = sc.text("network.access_down"),
                              .tcp_segment_bytes = static_cast<std::uint32_t>(
                                  sc.integer("network.tcp_segment_bytes")),
                              .tcp_slow_start_restart = sc.flag("network.tcp_slow_start_restart")},
                             message_level ? net::HostStack::none : net::HostStack::internet);
    } catch (const net::DataError& e) {
        throw ScenarioError(sc.source() + ": network.latency_model: " + e.what());
    }
    if (sc.number("network.jitter_ms") > 0) {
        wan.channel->SetAttribute(
            "JitterMs", ns3::StringValue("ns3::ExponentialRandomVariable[Mean=" +
                                         std::to_string(sc.number("network.jitter_ms")) + "]"));
    }
    wan.channel->SetAttribute("LossRate", ns3::DoubleValue(sc.number("network.loss")));
    wan.channel->AssignStreams(static_cast<int64_t>(seed % 1000));
    if (message_level)
        apps::install_message_transport(wan);  // each node's transport keeps the network
    return wan;
}

net::PlacedHost place_service_host(const Scenario& sc, const std::string& country_key,
                                   const std::string& provider, std::uint32_t first_address,
                                   const net::MeasuredLatency* cities,
                                   const net::LatencyModel& model, std::uint64_t seed) {
    const std::string country = sc.text(country_key);
    if (!net::CountryCodes::load().is_code(country)) {
        throw ScenarioError(sc.source() + ": " + country_key + ": '" + country +
                            "' is not an ISO 3166-1 alpha-2 country code");
    }
    crypto::SeededRandom random(seed, provider + " host");
    try {
        auto host =
            net::place_hosts(1, {{country, 1.0}}, cities,
                             {.hosts_per_subnet = 1, .first_address = first_address}, random)[0];
        model.rtt_ms(host.location, host.location);  // is the country covered?
        host.provider = provider;
        return host;
    } catch (const std::exception& e) {
        throw ScenarioError(sc.source() + ": " + country_key + ": '" + country + "': " + e.what());
    }
}

void schedule_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                       crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                       std::function<void(std::size_t, std::size_t, std::uint64_t)> send,
                       const DailyBehaviour* behaviour) {
    const std::size_t first = messages.size();
    DiurnalThinning daily;
    if (behaviour != nullptr && behaviour->active()) {
        daily = [behaviour](double t_s, crypto::RandomSource& r) {
            return behaviour->accept(t_s, r);
        };
    }
    plan_messages(sc, offline, hops, random, messages, daily);
    for (std::size_t i = first; i < messages.size(); ++i) {
        const auto& m = messages[i];
        ns3::Simulator::Schedule(ns3::Seconds(m.sent_s), [send, c = m.sender, to = m.recipient,
                                                          id = m.id] { send(c, to, id); });
    }
}

namespace {

void schedule_progress(const RunOptions& options, std::ostream& progress,
                       RunClock::time_point wall_start, double duration) {
    if (!options.progress)
        return;
    struct State {
        double last_line_wall = 0;
    };
    auto state = std::make_shared<State>();
    auto report = std::make_shared<std::function<void()>>();
    *report = [&options, &progress, wall_start, duration, state, weak = std::weak_ptr(report)] {
        const double wall = std::chrono::duration<double>(RunClock::now() - wall_start).count();
        const double now = ns3::Simulator::Now().GetSeconds();
        const bool due = options.progress_in_place ? wall > 3 : wall - state->last_line_wall >= 30;
        if (due && now > 0) {
            state->last_line_wall = wall;
            progress << (options.progress_in_place ? "\r" : "") << "  simulated "
                     << static_cast<int>(now) << " / " << static_cast<int>(duration) << " s  ("
                     << static_cast<int>(now / wall * 10) / 10.0 << " sim-s per s, ETA "
                     << static_cast<int>((duration - now) * wall / now) << " s)"
                     << (options.progress_in_place ? "   " : "\n") << std::flush;
        }
        if (auto self = weak.lock())
            ns3::Simulator::Schedule(ns3::Seconds(5), [self] { (*self)(); });
    };
    ns3::Simulator::Schedule(ns3::Seconds(5), [report] { (*report)(); });
}

}  // namespace

RunCost run_simulation(const RunOptions& options, std::ostream& progress,
                       RunClock::time_point wall_start, double duration) {
    schedule_progress(options, progress, wall_start, duration);
    ns3::Simulator::Stop(ns3::Seconds(duration));
    RunCost cost;
    cost.setup_s = std::chrono::duration<double>(RunClock::now() - wall_start).count();
    ns3::Simulator::Run();
    cost.wall_s = std::chrono::duration<double>(RunClock::now() - wall_start).count();
    cost.events = ns3::Simulator::GetEventCount();
    if (options.progress && options.progress_in_place && cost.wall_s > 3)
        progress << "\n";
    return cost;
}

void write_common_results(const RunOptions& options, const Scenario& sc,
                          const nlohmann::ordered_json& summary,
                          const std::vector<MessageRecord>& messages,
                          const std::vector<RequestRow>& requests,
                          const std::vector<net::PlacedHost>& hosts, const HostRoles& roles) {
    namespace fs = std::filesystem;
    const fs::path dir(options.out_dir);
    fs::create_directories(dir);
    std::ofstream(dir / "config.toml") << sc.to_toml();
    std::ofstream(dir / "summary.json") << summary.dump(2) << '\n';
    std::ofstream m(dir / "messages.csv");
    write_messages_csv(m, messages);
    std::ofstream r(dir / "requests.csv");
    write_requests_csv(r, requests);
    std::ofstream h(dir / "hosts.csv");
    write_hosts_csv(h, hosts, roles);
}

void write_hosts_csv(std::ostream& out, const std::vector<net::PlacedHost>& hosts,
                     const HostRoles& roles) {
    out << "host,role,index,ipv4,country,provider,adversary,city,pubkey\n";
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const bool server = i < roles.n_servers;
        const std::string& p = hosts[i].provider;
        // Services outside the Session network carry their role as their provider name.
        const bool service = p == "file-server" || p == "push-server" || p == "push-platform" ||
                             p == "community-server";
        std::string role = server ? roles.server_role : service ? p : std::string("client");
        std::replace(role.begin(), role.end(), '-', '_');
        out << i << ',' << role << ',' << (server ? i : i - roles.n_servers) << ','
            << storage::ipv4_string(hosts[i].ipv4) << ',' << hosts[i].location.country << ','
            << hosts[i].provider << ','
            << (i < roles.adversary.size() && roles.adversary[i] ? 1 : 0) << ','
            << hosts[i].location.city << ',';
        if (i < roles.keys.size())
            out << to_hex(roles.keys[i]);
        out << '\n';
    }
}

namespace {
/// The process's peak resident set so far (Linux reports KiB).
double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return std::round(static_cast<double>(usage.ru_maxrss) / 1024 * 10) / 10;
}
}  // namespace

double sim_now_s() {
    return ns3::Simulator::Now().GetSeconds();
}

void write_provenance(const std::string& dir, const Scenario& sc, const RunCost& cost) {
    const double duration = sc.number("duration_s");
    const double loop_s = std::max(cost.wall_s - cost.setup_s, 1e-9);
    const auto round3 = [](double x) { return std::round(x * 1000) / 1000; };
    const nlohmann::ordered_json provenance{
        {"program", "sessionsim run"},
        {"version", std::string(version())},
        {"scenario", sc.source()},
        {"seed", sc.integer("seed")},
        {"transport", sc.text("network.transport")},
        {"crypto", sc.text("crypto")},
        {"simulated_s", duration},
        {"events", cost.events},
        {"wall_clock_s", round3(cost.wall_s)},
        {"host",
         {{"setup_s", round3(cost.setup_s)},
          {"events_per_wall_s", std::round(static_cast<double>(cost.events) / loop_s)},
          {"sim_s_per_wall_s", round3(duration / cost.wall_s)},
          {"peak_rss_mib", peak_rss_mib()}}}};
    std::ofstream(std::filesystem::path(dir) / "provenance.json") << provenance.dump(2) << '\n';
}

}  // namespace sessionsim::scenario
