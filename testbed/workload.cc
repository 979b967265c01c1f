#include "testbed/workload.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <sstream>
#include <thread>

#include "models/common/errors.h"
#include "models/common/version.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "sim/scenario/client_settings.h"
#include "sim/scenario/message_plan.h"
#include "sim/scenario/profile_report.h"
#include "sim/scenario/records.h"
#include "sim/scenario/survival.h"
#include "testbed/client_driver.h"
#include "testbed/launcher.h"
#include "testbed/netns.h"
#include "testbed/sqlite_store.h"
#include "testbed/tcp_options.h"

namespace sessionsim::testbed {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

/// One client of the workload and how far its reports have been read.
struct WorkloadClient {
    std::unique_ptr<ClientDriver> driver;
    std::map<std::uint64_t, std::size_t> message_of_app_id;  ///< app id -> messages index
    std::size_t stored_seen = 0, received_seen = 0, failed_seen = 0;
};

/// Crashes and restarts nodes during the run (--kill-nodes): SIGKILL at kill_at_s, started
/// again from their databases at restart_at_s.
class Disruption {
public:
    Disruption(const WorkloadArgs& args, std::size_t nodes, crypto::RandomSource& random)
        : args_(args) {
        if (args.kill_nodes == 0)
            return;
        if (args.kill_nodes >= nodes)
            throw InvalidInput("--kill-nodes: the testbed has " + std::to_string(nodes) +
                               " nodes; kill fewer");
        if (args.restart_at_s <= args.kill_at_s)
            throw InvalidInput("--restart-at must come after --kill-at");
        std::vector<std::size_t> all(nodes);
        for (std::size_t i = 0; i < nodes; ++i)
            all[i] = i;
        random.sample_to_front(std::span(all), args.kill_nodes);
        victims_.assign(all.begin(), all.begin() + static_cast<long>(args.kill_nodes));
    }

    void step(double now, std::ostream& out) {
        if (victims_.empty())
            return;
        if (!killed_ && now >= args_.kill_at_s) {
            for (const auto i : victims_)
                kill_node(args_.dir, i);
            killed_ = now;
            out << "  " << now << " s: killed nodes";
            for (const auto i : victims_)
                out << ' ' << i;
            out << std::endl;
        }
        if (killed_ && !restarted_ && now >= args_.restart_at_s) {
            if (!restart_nodes(args_.dir, victims_, std::chrono::seconds(10)))
                throw InvalidInput("the crashed nodes did not all restart: see their logs in " +
                                   args_.dir);
            restarted_ = now;
            out << "  " << now << " s: restarted them" << std::endl;
        }
    }

    /// The nodes crashed and not started again.
    std::set<std::size_t> down() const {
        if (!killed_ || restarted_)
            return {};
        return {victims_.begin(), victims_.end()};
    }

    nlohmann::ordered_json summary() const {
        return {{"killed_nodes", victims_},
                {"killed_at_s", killed_.value_or(-1)},
                {"restarted_at_s", restarted_.value_or(-1)}};
    }

private:
    const WorkloadArgs& args_;
    std::vector<std::size_t> victims_;
    std::optional<double> killed_, restarted_;
};

/// Each message's fate by the simulator's rules (scenario/survival.h). For an undelivered message
/// that was stored, the nodes' own databases say who still holds a copy: running members of the
/// recipient's swarm, running nodes elsewhere, or nodes crashed and not started again.
void judge_messages(std::vector<scenario::MessageRecord>& messages,
                    const std::vector<WorkloadClient>& clients, const Registry& registry,
                    const std::string& dir, const std::set<std::size_t>& down,
                    const scenario::SurvivalRules& rules) {
    const auto swarms = registry.swarm_view();
    std::vector<std::optional<std::set<std::string>>> held(registry.nodes.size());  // read lazily
    for (auto& m : messages) {
        scenario::Holders holders;  // the testbed's clients stay online: none is offline
        if (!m.delivered_s && m.stored_s && !m.hash.empty()) {
            const auto swarm =
                swarms->swarm_of(clients[m.recipient].driver->client().identity().session_id());
            for (std::size_t i = 0; i < registry.nodes.size(); ++i) {
                const auto& node = registry.nodes[i];
                auto& hashes = held[i];
                if (!hashes)
                    hashes = stored_hashes(node_database(dir, node.index));
                if (hashes->contains(m.hash))
                    holders.count(!down.contains(node.index), node.swarm == swarm);
            }
        }
        m.fate = scenario::message_fate(m, holders, rules);
    }
}

/// The workload as a scenario: the file given, else the defaults with the command-line options
/// as overrides, so that both paths plan messages and configure clients the simulator's way.
scenario::Scenario workload_scenario(const WorkloadArgs& args) {
    if (!args.scenario.empty()) {
        auto sc = scenario::Scenario::load(args.scenario);
        if (sc.text("messenger") != "session" || sc.text("client.mode") != "foreground")
            throw InvalidInput(args.scenario +
                               ": the testbed runs Session clients with the app open (messenger "
                               "= \"session\", client.mode = \"foreground\")");
        return sc;
    }
    const auto number = [](double v) {
        std::ostringstream text;
        text << std::setprecision(17) << v;
        return text.str();
    };
    return scenario::Scenario::load(
        std::nullopt, {"network.clients=" + std::to_string(args.clients),
                       "seed=" + std::to_string(args.seed), "warmup_s=" + number(args.warmup_s),
                       "duration_s=" + number(args.duration_s + args.drain_s),
                       "workload.send_until_s=" + number(args.duration_s),
                       "workload.message_interval_s=" + number(args.message_interval_s),
                       "client.poll_interval_s=" + number(args.poll_interval_s),
                       "workload.message_bytes=" + std::to_string(args.message_bytes)});
}

}  // namespace

int run_workload(const WorkloadArgs& args, std::ostream& out) {
    const auto sc = workload_scenario(args);
    const auto n_clients = static_cast<std::size_t>(sc.integer("network.clients"));
    const auto seed = static_cast<std::uint64_t>(sc.integer("seed"));
    const double end_s = sc.number("duration_s");
    // Each client's profile and its settings, as the simulator deals them for this seed.
    const auto profiles = scenario::client_profile_plan(sc, n_clients, seed);
    std::map<std::string, scenario::ClientSettings> settings;
    for (const auto& name : scenario::profiles_in_use(sc))
        settings.emplace(name, scenario::client_settings_for(sc, name, false));
    const auto path_length = settings.begin()->second.config.path_length;
    const auto clock_offsets = scenario::client_clock_offsets(sc, n_clients, seed);
    const auto registry = Registry::load((fs::path(args.dir) / "registry.json").string());
    if (n_clients < 2)
        throw InvalidInput("--clients: a workload needs at least 2 clients");
    if (!registry.netns.empty()) {
        if (n_clients > registry.clients.size())
            throw InvalidInput("clients: the namespace testbed has addresses for " +
                               std::to_string(registry.clients.size()) + " clients");
        enter_namespace(clients_namespace(registry.netns));
    }
    boost::asio::io_context context;
    const auto start = Clock::now();
    const auto seconds = [&](Clock::time_point t) {
        return std::chrono::duration<double>(t - start).count();
    };

    // The simulator's plan for this scenario and seed: the same senders, recipients and times.
    std::vector<scenario::MessageRecord> messages;
    crypto::SeededRandom workload_random(seed, "workload");
    scenario::plan_messages(sc, std::vector<bool>(n_clients, false), static_cast<int>(path_length),
                            workload_random, messages);
    std::vector<std::size_t> send_order(messages.size());
    for (std::size_t i = 0; i < send_order.size(); ++i)
        send_order[i] = i;
    std::stable_sort(send_order.begin(), send_order.end(), [&](std::size_t a, std::size_t b) {
        return messages[a].sent_s < messages[b].sent_s;
    });

    std::vector<scenario::RequestRow> requests;
    std::vector<WorkloadClient> clients(n_clients);
    for (std::size_t c = 0; c < n_clients; ++c) {
        auto& wc = clients[c];
        const auto& client_settings = settings.at(profiles[c]);
        // A connection per request closes after its answer (an idle timeout of 0).
        const auto idle_timeout = std::chrono::milliseconds(
            client_settings.driver.reuse == client::DriverConfig::Reuse::per_request
                ? 0
                : client_settings.driver.idle_timeout_ms);
        auto client_config = client_settings.config;
        client_config.clock_offset_ms = clock_offsets[c];
        // The simulator's identity and random stream for client c of this seed.
        wc.driver = std::make_unique<ClientDriver>(
            context, registry,
            identity::Identity::from_ed25519_seed(crypto::derived_seed(seed, "client ", c)),
            seed + c, client_config,
            HttpClientOptions{
                .idle_timeout = idle_timeout,
                .local_address = registry.netns.empty() ? std::nullopt
                                                        : std::optional(boost::asio::ip::address_v4(
                                                              registry.clients[c].ipv4)),
                .tls = nullptr,
                // QUIC's one round trip (the profile's 0 beyond TCP's)
                .fast_open = client_settings.driver.handshake_round_trips == 0,
                .keep_alive = std::chrono::milliseconds(client_settings.driver.keep_alive_ms),
                .liveness_timeout =
                    std::chrono::milliseconds(client_settings.driver.liveness_timeout_ms),
                .handshake_timeout =
                    std::chrono::milliseconds(client_settings.driver.handshake_timeout_ms)},
            // One multiplexed connection per guard needs one to keep: a per-request client
            // (desktop) opens a connection per request whatever the setting says.
            client_settings.driver.multiplexed &&
                client_settings.driver.reuse == client::DriverConfig::Reuse::keep_alive);
        wc.driver->on_request = [&requests, &seconds, c](const RequestSeen& r) {
            requests.push_back({c, r.request_id, r.guard, r.destination, seconds(r.start),
                                seconds(r.end), r.status, r.hops, false});
        };
    }

    // Copies what each client reported since the last look into the message records, each at the
    // moment the client reported it.
    const auto collect = [&](std::size_t c) {
        auto& wc = clients[c];
        auto& d = *wc.driver;
        for (; wc.stored_seen < d.stored.size(); ++wc.stored_seen) {
            const auto& [s, at] = d.stored[wc.stored_seen];
            if (auto it = wc.message_of_app_id.find(s.message_id);
                it != wc.message_of_app_id.end()) {
                messages[it->second].stored_s = seconds(at);
                messages[it->second].hash = s.hash;
            }
        }
        for (; wc.failed_seen < d.failed.size(); ++wc.failed_seen) {
            const auto& f = d.failed[wc.failed_seen].event;
            if (auto it = wc.message_of_app_id.find(f.message_id); it != wc.message_of_app_id.end())
                messages[it->second].failure = f.reason;
        }
        for (; wc.received_seen < d.received.size(); ++wc.received_seen) {
            const auto& [r, at] = d.received[wc.received_seen];
            const auto id = scenario::message_id_of(r.message.text);
            if (id && *id < messages.size() && messages[*id].recipient == c &&
                !messages[*id].delivered_s)
                messages[*id].delivered_s = seconds(at);
        }
    };

    crypto::SeededRandom disruption_random(seed, "testbed disruption");
    Disruption disruption(args, registry.nodes.size(), disruption_random);
    std::size_t next = 0;  // into send_order
    for (double now = 0; now < end_s; now = seconds(Clock::now())) {
        disruption.step(now, out);
        for (; next < send_order.size() && messages[send_order[next]].sent_s <= now; ++next) {
            auto& m = messages[send_order[next]];
            m.sent_s = seconds(Clock::now());  // when it was really handed to the client
            auto& sender = clients[m.sender];
            const auto app_id = sender.driver->send_text(
                clients[m.recipient].driver->client().identity().session_id(),
                scenario::message_text(m.id, m.bytes));
            sender.message_of_app_id[app_id] = m.id;
        }
        for (std::size_t c = 0; c < clients.size(); ++c) {
            clients[c].driver->tick();  // polls when its own schedule says so
            collect(c);
        }
        context.restart();
        if (context.run_for(std::chrono::milliseconds(10)) == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // nothing in flight
    }
    messages.resize(next);  // any not yet due when the run ended were never sent
    judge_messages(messages, clients, registry, args.dir, disruption.down(),
                   scenario::survival_rules(
                       sc, end_s, scenario::largest_client_value(sc, "client.poll_interval_s")));

    fs::create_directories(args.out);
    const fs::path results(args.out);
    auto summary = scenario::summarize(messages, requests);
    std::vector<const client::Client*> protocol_clients;
    for (const auto& wc : clients)
        protocol_clients.push_back(&wc.driver->client());
    summary["clients"] = scenario::client_costs(protocol_clients, 0, end_s);
    std::size_t opened = 0, multiplexed = 0;
    for (const auto& wc : clients) {
        opened += wc.driver->connections_opened();
        multiplexed += wc.driver->multiplexed() ? 1 : 0;
    }
    summary["clients"]["connections_opened"] = opened;
    // Clients whose requests went as frames of one connection per node (client.multiplexed);
    // the others spoke HTTP/1.1.
    summary["clients"]["multiplexed_clients"] = multiplexed;
    {
        scenario::RunReport profile_report;
        scenario::report_profiles(
            scenario::measure_profiles(profiles, protocol_clients, messages, requests, end_s),
            profile_report);
        if (profile_report.summary.contains("profiles"))
            summary["profiles"] = profile_report.summary["profiles"];
    }
    if (args.kill_nodes > 0)
        summary["disruption"] = disruption.summary();
    summary["testbed"] = {
        {"registry", (fs::path(args.dir) / "registry.json").string()},
        {"nodes", registry.nodes.size()},
        {"clients", n_clients},
        {"duration_s", end_s},
        {"send_until_s", sc.number("workload.send_until_s")},
        {"warmup_s", sc.number("warmup_s")},
        {"message_interval_s", sc.number("workload.message_interval_s")},
        {"poll_interval_s", scenario::largest_client_value(sc, "client.poll_interval_s")},
        {"seed", seed},
        {"scenario", args.scenario},
        {"network", registry.netns.empty() ? "loopback" : "namespaces"},
        // every node and client socket's (testbed/tcp_options.h); empty: the host's default
        {"tcp_congestion_control", testbed_congestion_control()},
        {"version", std::string(version())}};
    std::ofstream(results / "config.toml") << sc.to_toml();
    std::ofstream(results / "summary.json") << summary.dump(2) << '\n';
    std::ofstream m(results / "messages.csv");
    scenario::write_messages_csv(m, messages);
    std::ofstream r(results / "requests.csv");
    scenario::write_requests_csv(r, requests);
    out << "sessionsim testbed run: " << registry.nodes.size() << " nodes, " << n_clients
        << " clients, " << end_s << " s (sending from " << sc.number("warmup_s") << " to "
        << std::min(end_s, sc.number("workload.send_until_s")) << " s)\n"
        << "  summary: " << summary.dump() << "\n  results: " << args.out
        << "/{summary.json,messages.csv,requests.csv}\n";
    return 0;
}

}  // namespace sessionsim::testbed
