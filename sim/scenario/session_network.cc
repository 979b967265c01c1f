#include "sim/scenario/session_network.h"

#include <ns3/core-module.h>
#include <cmath>
#include <numeric>
#include <span>

#include "sim/scenario/behaviour.h"
#include "sim/scenario/client_settings.h"
#include "sim/scenario/failure_plan.h"

namespace sessionsim::scenario {
namespace {

/// Which clients keep their app open (client.active_fraction of them, drawn at random) when the
/// others sit in the background (`background_mode`); none otherwise: in foreground mode all poll
/// at the foreground rate, and the daily behaviour model opens and closes apps itself.
std::vector<bool> draw_active_clients(const Scenario& sc, bool background_mode,
                                      std::size_t n_clients, std::uint64_t seed) {
    std::vector<bool> active(n_clients, false);
    if (!background_mode)
        return active;
    std::vector<std::size_t> order(n_clients);
    std::iota(order.begin(), order.end(), std::size_t{0});
    crypto::SeededRandom random(seed, "active clients");
    const auto count = random.sample_to_front(
        std::span(order),
        static_cast<std::size_t>(
            std::llround(sc.number("client.active_fraction") * static_cast<double>(n_clients))));
    for (std::size_t i = 0; i < count; ++i)
        active[order[i]] = true;
    return active;
}

/// What a client's app reports, recorded in the run's tables and passed to the features.
apps::ClientObserver record_client(SessionRun& run, std::size_t c) {
    apps::ClientObserver observer;
    observer.request = [&run, c](const apps::RequestRecord& r) {
        run.requests.push_back({c, r.request_id, r.guard, r.destination, r.start.GetSeconds(),
                                r.end.GetSeconds(), r.status, r.hops, r.probe});
        for (const auto& f : run.features)
            f->on_request(run, c, r);
    };
    observer.stored = [&run, c](const client::MessageStored& s) {
        for (const auto& f : run.features)
            f->on_stored(run, c, s);
        const auto it = run.message_index[c].find(s.message_id);
        if (it == run.message_index[c].end())
            return;
        auto& m = run.messages[it->second];
        m.stored_s = ns3::Simulator::Now().GetSeconds();
        m.hash = s.hash;
        m.store_request = s.request_id;
        for (const auto& f : run.features)
            f->on_direct_stored(run, m, s);
        const auto& swarms = *run.directory->swarms;
        m.recipient_swarm =
            swarms.swarm_of(run.clients[m.recipient]->Client().identity().session_id());
        m.swarm_up_at_store = run.dynamics->running_members(swarms.members(*m.recipient_swarm));
    };
    observer.failed = [&run, c](const client::MessageFailed& f) {
        if (auto it = run.message_index[c].find(f.message_id); it != run.message_index[c].end())
            run.messages[it->second].failure = f.reason;
    };
    observer.received = [&run, c](const client::MessageReceived& m) {
        const auto id = m.group ? std::nullopt : message_id_of(m.message.text);
        for (const auto& f : run.features) {
            if (f->on_received(run, c, m, id))
                return;
        }
        if (id && *id < run.messages.size() && run.messages[*id].recipient == c &&
            !run.messages[*id].delivered_s) {
            run.messages[*id].delivered_s = ns3::Simulator::Now().GetSeconds();
            run.messages[*id].poll_request = m.request_id;
        }
    };
    return observer;
}

}  // namespace

SessionRun::SessionRun(const Scenario& scenario, const RunOptions& run_options,
                       RunClock::time_point wall_clock_start, std::uint64_t run_seed,
                       crypto::SeededRandom& scenario_random, NetworkPlan network_plan)
    : sc(scenario),
      options(run_options),
      wall_start(wall_clock_start),
      seed(run_seed),
      random(scenario_random),
      plan(std::move(network_plan)),
      n_initial(static_cast<std::size_t>(sc.integer("network.service_nodes"))),
      n_joins(static_cast<std::size_t>(sc.integer("churn.joins"))),
      n_nodes(n_initial + n_joins),
      n_clients(static_cast<std::size_t>(sc.integer("network.clients"))),
      duration_s(sc.number("duration_s")),
      offline(offline_clients(sc, n_clients, seed)),
      offline_until_s(sc.number("workload.offline_until_s")),
      hosts(std::move(plan.nodes)),
      message_index(n_clients) {
    // The plan's places move into hosts: held once, not twice, at a million clients.
    hosts.insert(hosts.end(), plan.clients.begin(), plan.clients.end());
    plan.clients = {};
    for (std::size_t c = 0; c < n_clients; ++c)
        client_addresses.insert(hosts[n_nodes + c].ipv4);
}

void start_service_nodes(SessionRun& run) {
    const auto& sc = run.sc;
    registry::RegistryRules rules;
    rules.block_ms = static_cast<std::int64_t>(sc.number("registry.block_s") * 1000);
    rules.reachability_checks = sc.flag("registry.reachability_checks");
    run.chain = std::make_unique<registry::Registry>(rules, run.seed);
    std::vector<node::NodeKeys> keys;
    const double max_age_ms = sc.number("registry.max_node_age_days") * 86'400'000;
    for (std::size_t i = 0; i < run.n_nodes; ++i) {
        keys.push_back(node::NodeKeys::from_seed(derived_seed(run.seed, "service node ", i)));
        const auto& pk = keys[i].ed25519.public_key;
        run.directory->addresses[pk] = run.wan.addresses[i];
        ServiceHost h;
        h.app = ns3::CreateObject<apps::ServiceNodeApp>();
        h.device = run.wan.devices[i];
        h.contact = {pk, keys[i].x25519.public_key, run.hosts[i].ipv4};
        if (i < run.n_initial)
            h.registry_index = run.chain->add_existing(
                pk, static_cast<std::int64_t>(run.random.unit() * max_age_ms));
        run.service_hosts.push_back(h);
    }
    run.chain->start(run.seed);
    run.dynamics = std::make_unique<NetworkDynamics>(
        DynamicsOptions{.blocks = sc.flag("registry.enabled"),
                        .keep_database = sc.flag("churn.keep_database"),
                        .rules = rules},
        run.directory, run.service_hosts, *run.chain);
    run.dynamics->publish_swarms();
    for (std::size_t i = 0; i < run.n_nodes; ++i) {
        const auto& app = run.service_hosts[i].app;
        app->SetAttribute("ProcessingDelay", ns3::TimeValue(ns3::MicroSeconds(static_cast<int64_t>(
                                                 sc.number("node.processing_delay_us")))));
        app->SetAttribute("HandshakeRoundTrips",
                          ns3::IntegerValue(sc.integer("node.handshake_round_trips")));
        app->SetAttribute("IdleTimeout",
                          ns3::TimeValue(ns3::Seconds(sc.number("node.idle_timeout_s"))));
        app->Configure(keys[i], run.directory, run.seed);
        run.wan.nodes.Get(static_cast<std::uint32_t>(i))->AddApplication(app);
    }
    for (const auto& h : run.service_hosts) {
        run.node_apps.push_back(h.app);
        run.contacts.push_back(h.contact);
    }
}

void start_churn(SessionRun& run) {
    std::vector<std::pair<std::size_t, double>> joins;
    for (std::size_t i = run.n_initial; i < run.n_nodes; ++i)
        joins.emplace_back(i, run.sc.number("churn.join_at_s"));
    crypto::SeededRandom failure_random(run.seed, "failures");
    const std::vector<net::PlacedHost> initial_hosts(
        run.hosts.begin(), run.hosts.begin() + static_cast<long>(run.n_initial));
    run.dynamics->start(failure_plan(run.sc, initial_hosts, failure_random), joins);
}

void start_clients(SessionRun& run) {
    const auto& sc = run.sc;
    // Always-open apps poll per client.mode; with daily behaviour the app switches between
    // foreground (poll_interval_s) and background (background_poll_interval_s) itself.
    const auto* behaviour = run.feature<DailyBehaviour>();
    run.background_mode = behaviour == nullptr && sc.text("client.mode") != "foreground";
    run.client_profiles = client_profile_plan(sc, run.n_clients, run.seed);
    // Each profile's settings, worked out once: as the app runs, and with the app open.
    std::map<std::string, std::pair<ClientSettings, ClientSettings>> settings;
    for (const auto& name : profiles_in_use(sc))
        settings.emplace(name, std::pair{client_settings_for(sc, name, run.background_mode),
                                         client_settings_for(sc, name, false)});
    run.path_length = static_cast<int>(settings.begin()->second.first.config.path_length);
    run.active_clients = draw_active_clients(sc, run.background_mode, run.n_clients, run.seed);
    const auto clock_offsets = client_clock_offsets(sc, run.n_clients, run.seed);
    for (std::size_t c = 0; c < run.n_clients; ++c) {
        const auto& [as_run, open] = settings.at(run.client_profiles[c]);
        const auto& driver = as_run.driver;
        auto app = ns3::CreateObject<apps::ClientApp>();
        app->SetAttribute("HandshakeRoundTrips", ns3::IntegerValue(driver.handshake_round_trips));
        app->SetAttribute(
            "PerRequestConnections",
            ns3::BooleanValue(driver.reuse == client::DriverConfig::Reuse::per_request));
        app->SetAttribute("IdleTimeout", ns3::TimeValue(ns3::MilliSeconds(driver.idle_timeout_ms)));
        app->SetAttribute("BackgroundIdleTimeout",
                          ns3::TimeValue(ns3::MilliSeconds(driver.background_idle_timeout_ms)));
        app->SetAttribute("KeepAlive", ns3::TimeValue(ns3::MilliSeconds(driver.keep_alive_ms)));
        app->SetAttribute("LivenessTimeout",
                          ns3::TimeValue(ns3::MilliSeconds(driver.liveness_timeout_ms)));
        app->SetAttribute("HandshakeTimeout",
                          ns3::TimeValue(ns3::MilliSeconds(driver.handshake_timeout_ms)));
        app->SetAttribute("BackgroundPhone",
                          ns3::BooleanValue(run.background_mode && !run.active_clients[c]));
        auto client_config = as_run.config;
        if (run.active_clients[c])
            client_config.poll_interval_ms = open.config.poll_interval_ms;
        client_config.clock_offset_ms = clock_offsets[c];
        app->Configure(identity::Identity::from_ed25519_seed(derived_seed(run.seed, "client ", c)),
                       client_config, run.directory, run.seed + c, record_client(run, c));
        for (const auto& f : run.features)
            f->configure_client(run, c, *app);
        if (run.offline[c] && run.offline_until_s < run.duration_s)
            app->SetStartTime(ns3::Seconds(run.offline_until_s));  // back online: first poll
        else if (run.offline[c])
            app->SetAttribute("Polling", ns3::BooleanValue(false));
        run.wan.nodes.Get(static_cast<std::uint32_t>(run.n_nodes + c))->AddApplication(app);
        run.clients.push_back(app);
    }
}

nlohmann::ordered_json open_connections(const std::vector<ServiceHost>& hosts) {
    std::size_t dialled = 0, accepted = 0, most = 0;
    for (const auto& h : hosts) {
        const auto c = h.app->OpenConnections();
        dialled += c.dialled;
        accepted += c.accepted;
        most = std::max(most, c.dialled + c.accepted);
    }
    const double n = hosts.empty() ? 1.0 : static_cast<double>(hosts.size());
    return {{"dialled", dialled},
            {"accepted", accepted},
            {"mean_per_node", std::round(static_cast<double>(dialled + accepted) / n * 100) / 100},
            {"max_per_node", most}};
}

}  // namespace sessionsim::scenario
