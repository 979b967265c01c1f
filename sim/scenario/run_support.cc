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
#include <numeric>
#include <span>

#include "models/common/version.h"
#include "models/crypto/hash.h"
#include "models/storage/swarm_view.h"
#include "sim/net/csv_table.h"

namespace sessionsim::scenario {

net::Wan build_network(const Scenario& sc, const std::vector<net::PlacedHost>& hosts,
                       const net::LatencyModel& model, std::uint64_t seed) {
    net::Wan wan;
    try {
        wan = net::build_wan(
            hosts, model,
            {sc.text("network.access_up"), sc.text("network.access_down"), 1'000'000});
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

std::vector<std::vector<std::size_t>> draw_members(const Scenario& sc, const std::string& key,
                                                   std::size_t count, std::size_t size,
                                                   const std::vector<bool>& offline,
                                                   crypto::RandomSource& random) {
    std::vector<std::size_t> online;
    for (std::size_t c = 0; c < offline.size(); ++c) {
        if (!offline[c])
            online.push_back(c);
    }
    if (online.size() < size) {
        throw ScenarioError(sc.source() + ": " + key + " = " + std::to_string(size) + " but only " +
                            std::to_string(online.size()) + " clients are online");
    }
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < count; ++i) {
        auto pool = online;
        random.shuffle(std::span(pool));
        out.emplace_back(pool.begin(), pool.begin() + static_cast<long>(size));
    }
    return out;
}

std::string message_text(std::uint64_t id, std::size_t bytes) {
    std::string t = "m" + std::to_string(id) + ":";
    while (t.size() < bytes)
        t += static_cast<char>('a' + (t.size() * 7 + id) % 26);
    return t;
}

std::optional<std::uint64_t> message_id_of(const std::string& text) {
    if (text.size() < 3 || text[0] != 'm')
        return std::nullopt;
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    try {
        return std::stoull(text.substr(1, colon - 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<bool> offline_clients(const Scenario& sc, std::size_t n_clients, std::uint64_t seed) {
    std::vector<std::size_t> order(n_clients);
    std::iota(order.begin(), order.end(), 0);
    crypto::SeededRandom random(seed, "offline clients");
    const auto count = random.sample_to_front(
        std::span(order),
        static_cast<std::size_t>(
            std::llround(sc.number("workload.offline_fraction") * static_cast<double>(n_clients))));
    std::vector<bool> offline(n_clients, false);
    for (std::size_t i = 0; i < count; ++i)
        offline[order[i]] = true;
    return offline;
}

void plan_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                   crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                   const DailyBehaviour* behaviour) {
    const std::size_t n_clients = offline.size();
    const double send_until = std::min(sc.number("duration_s"), sc.number("workload.send_until_s"));
    const double warmup = sc.number("warmup_s");
    const bool daily = behaviour != nullptr && behaviour->active();
    // A daily rhythm: draw at the peak rate, keep each draw with weight / peak weight.
    const double mean_gap = sc.number("workload.message_interval_s") /
                            (daily ? 1 + sc.number("behaviour.diurnal_amplitude") : 1.0);
    const auto bytes = static_cast<std::size_t>(sc.integer("workload.message_bytes"));
    for (std::size_t c = 0; c < n_clients; ++c) {
        if (offline[c])
            continue;
        for (double t = warmup - mean_gap * std::log(1 - random.unit());;
             t += -mean_gap * std::log(1 - random.unit())) {
            if (t >= send_until)
                break;
            if (daily && !behaviour->accept(t, random))
                continue;
            MessageRecord m;
            m.id = messages.size();
            m.sender = c;
            m.recipient = (c + 1 + random.uniform(n_clients - 1)) % n_clients;
            m.sent_s = t;
            m.bytes = bytes;
            m.hops = hops;
            messages.push_back(std::move(m));
        }
    }
}

void schedule_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                       crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                       std::function<void(std::size_t, std::size_t, std::uint64_t)> send,
                       const DailyBehaviour* behaviour) {
    const std::size_t first = messages.size();
    plan_messages(sc, offline, hops, random, messages, behaviour);
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
                          const std::vector<net::PlacedHost>& hosts, std::size_t n_servers,
                          const std::string& server_role, const std::vector<bool>& adversary) {
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
    write_hosts_csv(h, hosts, n_servers, server_role, adversary);
}

void write_hosts_csv(std::ostream& out, const std::vector<net::PlacedHost>& hosts,
                     std::size_t n_servers, const std::string& server_role,
                     const std::vector<bool>& adversary) {
    out << "host,role,index,ipv4,country,provider,adversary\n";
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const bool server = i < n_servers;
        const std::string& p = hosts[i].provider;
        // Services outside the Session network carry their role as their provider name.
        const bool service = p == "file-server" || p == "push-server" || p == "push-platform" ||
                             p == "community-server";
        std::string role = server ? server_role : service ? p : std::string("client");
        std::replace(role.begin(), role.end(), '-', '_');
        out << i << ',' << role << ',' << (server ? i : i - n_servers) << ','
            << storage::ipv4_string(hosts[i].ipv4) << ',' << hosts[i].location.country << ','
            << hosts[i].provider << ',' << (i < adversary.size() && adversary[i] ? 1 : 0) << '\n';
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
