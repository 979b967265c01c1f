#include "sim/scenario/runner.h"

#include <ns3/core-module.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <span>
#include <sstream>

#include "models/storage/swarm_view.h"
#include "sim/apps/client_app.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/csv_table.h"
#include "sim/net/wan_helper.h"
#include "sim/observe/node_load.h"
#include "sim/scenario/adversary.h"
#include "sim/scenario/attachment_workload.h"
#include "sim/scenario/central_run.h"
#include "sim/scenario/client_settings.h"
#include "sim/scenario/community_workload.h"
#include "sim/scenario/endpoint_view.h"
#include "sim/scenario/failure_plan.h"
#include "sim/scenario/group_workload.h"
#include "sim/scenario/hostile_nodes.h"
#include "sim/scenario/network_dynamics.h"
#include "sim/scenario/network_plan.h"
#include "sim/scenario/push_setup.h"
#include "sim/scenario/records.h"
#include "sim/scenario/resource_samples.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/survival.h"

namespace sessionsim::scenario {
namespace {

std::vector<std::size_t> probe_hops(const Scenario& sc) {
    std::vector<std::size_t> out;
    std::stringstream list(sc.text("workload.probe_hops"));
    std::string item;
    while (std::getline(list, item, ',')) {
        try {
            std::size_t used = 0;
            const int h = std::stoi(item, &used);
            if (used != item.size() || h < 0 || h > 15)
                throw std::invalid_argument(item);
            out.push_back(static_cast<std::size_t>(h));
        } catch (const std::exception&) {
            throw ScenarioError(sc.source() + ": workload.probe_hops: '" + item +
                                "' is not a path length from 0 (direct) to 15");
        }
    }
    if (out.empty())
        throw ScenarioError(sc.source() + ": workload.probe_hops: empty list");
    return out;
}

/// Each message's fate: for the undelivered ones that were stored, where copies are now.
void judge_messages(std::vector<MessageRecord>& messages,
                    const std::vector<ns3::Ptr<apps::ClientApp>>& clients,
                    const std::vector<bool>& offline_to_end, const NetworkDynamics& dynamics,
                    const storage::SwarmView& swarms, const SurvivalRules& rules) {
    for (auto& m : messages) {
        Holders holders{.recipient_offline = offline_to_end[m.recipient]};
        if (!m.delivered_s && m.stored_s && !m.hash.empty()) {
            const auto account = clients[m.recipient]->Client().identity().session_id();
            const auto& members = swarms.members(swarms.swarm_of(account));
            for (const auto& h : dynamics.hosts()) {
                if (!h.app->Node().store().find(m.hash))
                    continue;
                const bool in_swarm =
                    std::any_of(members.begin(), members.end(),
                                [&](const auto& c) { return c.ed25519 == h.contact.ed25519; });
                holders.count(NetworkDynamics::running(h), in_swarm);
            }
        }
        m.fate = message_fate(m, holders, rules);
    }
}

/// Which clients keep their app open (client.active_fraction of them, drawn at random) when the
/// others sit in the background (`background_mode`); none otherwise: in foreground mode all poll
/// at the foreground rate, and the daily behaviour model opens and closes apps itself.
std::vector<bool> active_clients(const Scenario& sc, bool background_mode, std::size_t n_clients,
                                 std::uint64_t seed) {
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

/// Connections the service nodes hold open when the run ends: each costs a TCP socket, its
/// state and an endpoint the node's demultiplexer scans for every packet it receives.
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

}  // namespace

nlohmann::ordered_json run_scenario(const Scenario& sc, const RunOptions& options,
                                    std::ostream& progress) {
    // A scenario error thrown half-way must not leave this run's nodes in ns-3's global node
    // list, where the next run in the same process would start them (and crash on their
    // dangling state). Destroy is idempotent: the normal path calls it earlier.
    struct DestroyOnExit {
        ~DestroyOnExit() { ns3::Simulator::Destroy(); }
    } destroy_on_exit;
    const auto wall_start = RunClock::now();
    const auto seed = static_cast<std::uint64_t>(sc.integer("seed"));
    ns3::RngSeedManager::SetSeed(static_cast<std::uint32_t>(seed % 4294967295ULL) + 1);
    ns3::RngSeedManager::SetRun(1);
    crypto::SeededRandom random(seed, "scenario");

    auto plan = plan_network(sc, options.shared_dir, random);
    const net::MeasuredLatency* cities = plan.cities;
    const auto& model = plan.model;
    const auto n_initial = static_cast<std::size_t>(sc.integer("network.service_nodes"));
    const auto n_joins = static_cast<std::size_t>(sc.integer("churn.joins"));
    const auto n_nodes = n_initial + n_joins;  // the joiners are the last n_joins
    const auto n_clients = static_cast<std::size_t>(sc.integer("network.clients"));
    auto hosts = plan.nodes;
    const std::vector<net::PlacedHost> initial_hosts(hosts.begin(),
                                                     hosts.begin() + static_cast<long>(n_initial));
    const auto& client_hosts = plan.clients;
    if (sc.text("messenger") == "central") {
        return run_central(sc, options, progress, {wall_start, seed, *model, cities, client_hosts});
    }
    hosts.insert(hosts.end(), client_hosts.begin(), client_hosts.end());
    // Services outside the Session network, after the clients: file server, push server and
    // platform.
    AttachmentWorkload attachments(sc, seed);
    if (attachments.active())
        hosts.push_back(attachments.place(cities, *model));
    const auto offline = offline_clients(sc, n_clients, seed);
    CommunityWorkload communities(sc, offline, seed);
    const std::size_t community_host = hosts.size();
    if (communities.active())
        hosts.push_back(communities.place(cities, *model));
    PushSetup push(sc, seed);
    const std::size_t push_host = hosts.size();
    if (push.active()) {
        for (auto& h : push.place(cities, *model))
            hosts.push_back(h);
    }

    const auto wan = build_network(sc, hosts, *model, seed);

    // Service nodes: the registry holds the ones present at the start (registered up to
    // max_node_age_days ago) and places them in swarms as oxend does; joiners register later.
    registry::RegistryRules rules;
    rules.block_ms = static_cast<std::int64_t>(sc.number("registry.block_s") * 1000);
    rules.reachability_checks = sc.flag("registry.reachability_checks");
    registry::Registry chain(rules, seed);
    auto directory = std::make_shared<apps::NodeDirectory>();
    std::vector<node::NodeKeys> keys;
    std::vector<ServiceHost> service_hosts;
    const double max_age_ms = sc.number("registry.max_node_age_days") * 86'400'000;
    for (std::size_t i = 0; i < n_nodes; ++i) {
        keys.push_back(node::NodeKeys::from_seed(derived_seed(seed, "service node ", i)));
        const auto& pk = keys[i].ed25519.public_key;
        const auto address = wan.addresses[i];
        directory->addresses[pk] = address;
        ServiceHost h;
        h.app = ns3::CreateObject<apps::ServiceNodeApp>();
        h.device = wan.devices[i];
        h.contact = {pk, keys[i].x25519.public_key, hosts[i].ipv4};
        if (i < n_initial)
            h.registry_index =
                chain.add_existing(pk, static_cast<std::int64_t>(random.unit() * max_age_ms));
        service_hosts.push_back(h);
    }
    chain.start(seed);
    NetworkDynamics dynamics({.blocks = sc.flag("registry.enabled"),
                              .keep_database = sc.flag("churn.keep_database"),
                              .rules = rules},
                             directory, service_hosts, chain);
    dynamics.publish_swarms();
    for (std::size_t i = 0; i < n_nodes; ++i) {
        const auto& app = service_hosts[i].app;
        app->SetAttribute("ProcessingDelay", ns3::TimeValue(ns3::MicroSeconds(static_cast<int64_t>(
                                                 sc.number("node.processing_delay_us")))));
        app->SetAttribute("HandshakeRoundTrips",
                          ns3::IntegerValue(sc.integer("node.handshake_round_trips")));
        app->SetAttribute("IdleTimeout",
                          ns3::TimeValue(ns3::Seconds(sc.number("node.idle_timeout_s"))));
        app->Configure(keys[i], directory, seed);
        wan.nodes.Get(static_cast<std::uint32_t>(i))->AddApplication(app);
    }
    if (attachments.active()) {
        const auto at = static_cast<std::uint32_t>(n_nodes + n_clients);
        attachments.install(wan.nodes.Get(at), wan.addresses[at], *directory);
    }
    if (communities.active()) {
        const auto at = static_cast<std::uint32_t>(community_host);
        communities.install(wan.nodes.Get(at), wan.addresses[at], *directory);
    }
    if (push.active()) {
        const auto at = static_cast<std::uint32_t>(push_host);
        push.install(wan.nodes, wan.addresses, at, directory);
    }
    // Load by traffic type: every node's hop views, counted (metrics.node_load).
    std::optional<observe::NodeLoad> load;
    if (sc.flag("metrics.node_load")) {
        load.emplace(n_nodes);
        for (std::size_t i = 0; i < n_nodes; ++i) {
            service_hosts[i].app->TraceConnectWithoutContext(
                "HopObserved", ns3::MakeCallback(+[](observe::NodeLoad* l, std::size_t node,
                                                     const apps::HopRecord& r) {
                                   l->record(node, r.view);
                               }).Bind(&*load, i));
        }
    }
    crypto::SeededRandom adversary_random(seed, "adversary");
    Adversary adversary(sc, initial_hosts, n_joins, adversary_random);
    std::vector<ns3::Ptr<apps::ServiceNodeApp>> node_apps;
    std::vector<storage::NodeContact> contacts;
    for (const auto& h : service_hosts) {
        node_apps.push_back(h.app);
        contacts.push_back(h.contact);
    }
    {
        std::vector<std::uint32_t> ips;
        for (std::size_t i = 0; i < n_nodes; ++i)
            ips.push_back(hosts[i].ipv4);
        adversary.place(hosts, n_nodes);
        adversary.watch(node_apps, std::move(ips));
    }
    crypto::SeededRandom hostile_random(seed, "hostile");
    HostileNodes hostile(sc, n_initial, hostile_random);
    if (hostile.active())
        hostile.install(node_apps, contacts);
    std::vector<std::pair<std::size_t, double>> joins;
    for (std::size_t i = n_initial; i < n_nodes; ++i)
        joins.emplace_back(i, sc.number("churn.join_at_s"));
    crypto::SeededRandom failure_random(seed, "failures");
    dynamics.start(failure_plan(sc, initial_hosts, failure_random), joins);

    // Clients and what they record.
    // Always-open apps poll per client.mode; with daily behaviour the app switches between
    // foreground (poll_interval_s) and background (background_poll_interval_s) itself.
    DailyBehaviour behaviour(sc);
    const bool background_mode = !behaviour.active() && sc.text("client.mode") != "foreground";
    const auto foreground_poll_ms =
        static_cast<std::int64_t>(sc.number("client.poll_interval_s") * 1000);
    const auto config = client_config_for(sc, background_mode);
    std::vector<MessageRecord> messages;
    std::vector<RequestRow> requests;
    std::vector<std::map<std::uint64_t, std::size_t>> message_index(
        n_clients);  // per client: app id -> record
    std::vector<ns3::Ptr<apps::ClientApp>> clients;
    const auto active = active_clients(sc, background_mode, n_clients, seed);
    const double duration = sc.number("duration_s");
    const double offline_until = sc.number("workload.offline_until_s");
    GroupWorkload groups(sc, offline, seed);
    for (std::size_t c = 0; c < n_clients; ++c) {
        apps::ClientObserver observer;
        observer.request = [&requests, c](const apps::RequestRecord& r) {
            requests.push_back({c, r.request_id, r.guard, r.destination, r.start.GetSeconds(),
                                r.end.GetSeconds(), r.status, r.hops, r.probe});
        };
        observer.stored = [&, c](const client::MessageStored& s) {
            groups.on_stored(c, s);
            if (auto it = message_index[c].find(s.message_id); it != message_index[c].end()) {
                auto& m = messages[it->second];
                m.stored_s = ns3::Simulator::Now().GetSeconds();
                m.hash = s.hash;
                m.acked_by_hostile = hostile.contains(s.acked_by);
                const auto& swarms = *directory->swarms;
                m.recipient_swarm =
                    swarms.swarm_of(clients[m.recipient]->Client().identity().session_id());
                m.swarm_up_at_store = dynamics.running_members(swarms.members(*m.recipient_swarm));
            }
        };
        observer.failed = [&messages, &message_index, c](const client::MessageFailed& f) {
            if (auto it = message_index[c].find(f.message_id); it != message_index[c].end()) {
                messages[it->second].failure = f.reason;
            }
        };
        observer.received = [&messages, &groups, &attachments, &clients,
                             c](const client::MessageReceived& m) {
            if (m.group) {
                groups.on_received(c, m);
                return;
            }
            const auto id = message_id_of(m.message.text);
            if (id && !m.message.attachments.empty())
                attachments.on_received(clients[c], c, m, *id);
            if (id && *id < messages.size() && messages[*id].recipient == c &&
                !messages[*id].delivered_s) {
                messages[*id].delivered_s = ns3::Simulator::Now().GetSeconds();
            }
        };
        auto app = ns3::CreateObject<apps::ClientApp>();
        app->SetAttribute("HandshakeRoundTrips",
                          ns3::IntegerValue(sc.integer("client.handshake_round_trips")));
        app->SetAttribute("IdleTimeout",
                          ns3::TimeValue(ns3::Seconds(sc.number("client.idle_timeout_s"))));
        app->SetAttribute(
            "BackgroundIdleTimeout",
            ns3::TimeValue(ns3::Seconds(sc.number("client.background_idle_timeout_s"))));
        app->SetAttribute("BackgroundPhone", ns3::BooleanValue(background_mode && !active[c]));
        auto client_config = config;
        if (active[c])
            client_config.poll_interval_ms = foreground_poll_ms;
        app->Configure(identity::Identity::from_ed25519_seed(derived_seed(seed, "client ", c)),
                       client_config, directory, seed + c, observer);
        if (push.active())
            push.enable(app);
        if (offline[c] && offline_until < duration)
            app->SetStartTime(ns3::Seconds(offline_until));  // back online: first poll
        else if (offline[c])
            app->SetAttribute("Polling", ns3::BooleanValue(false));
        wan.nodes.Get(static_cast<std::uint32_t>(n_nodes + c))->AddApplication(app);
        clients.push_back(app);
    }

    const auto bytes = static_cast<std::size_t>(sc.integer("workload.message_bytes"));
    const double warmup = sc.number("warmup_s");
    crypto::SeededRandom workload_random(seed, "workload");
    crypto::SeededRandom behaviour_random(seed, "behaviour");
    if (behaviour.active())
        behaviour.schedule(clients, offline, behaviour_random);
    schedule_messages(
        sc, offline, static_cast<int>(config.path_length), workload_random, messages,
        [&](std::size_t c, std::size_t to, std::uint64_t id) {
            if (behaviour.active())
                behaviour.open_app(c, behaviour_random);  // the user opens the app to write
            const auto recipient = clients[to]->Client().identity().session_id();
            if (attachments.draw()) {
                attachments.send(
                    clients[c], c, to, recipient, id, message_text(id, bytes),
                    [&, c, id](std::optional<std::uint64_t> app_id, std::string error) {
                        if (app_id)
                            message_index[c][*app_id] = id;
                        else
                            messages[id].failure = error;
                    });
                return;
            }
            const auto app_id = clients[c]->SendText(recipient, message_text(id, bytes));
            message_index[c][app_id] = id;
        },
        &behaviour);

    groups.schedule(clients);
    communities.schedule(clients);

    // Latency probes: rounds of info requests to one random node, one per configured path length.
    const double probe_gap = sc.number("workload.probe_interval_s");
    if (probe_gap > 0) {
        const auto hop_counts = probe_hops(sc);
        for (std::size_t c = 0; c < n_clients; ++c) {
            if (offline[c])
                continue;
            for (double t = warmup - probe_gap * std::log(1 - random.unit());;
                 t += -probe_gap * std::log(1 - random.unit())) {
                if (t >= duration)
                    break;
                const auto draw = random.next_u64();  // which active node, at probe time
                ns3::Simulator::Schedule(ns3::Seconds(t), [&, c, draw, hop_counts] {
                    const auto& pool_nodes = directory->pool.nodes();
                    for (const auto hops : hop_counts)
                        clients[c]->Probe(pool_nodes[draw % pool_nodes.size()], hops);
                });
            }
        }
    }

    ResourceSampler resources(sc.number("metrics.resource_sample_s"), wall_start, [&] {
        NetworkFootprint f;
        f.records_mib = static_cast<double>(requests.capacity() * sizeof(RequestRow) +
                                            messages.capacity() * sizeof(MessageRecord) +
                                            messages.size() * 64) /  // hash and reason strings
                        (1024.0 * 1024.0);
        for (const auto& h : dynamics.hosts()) {
            f.stored_messages += h.app->Node().store().size();
            f.nodes_running += NetworkDynamics::running(h);
        }
        return f;
    });
    resources.start();
    const auto cost = run_simulation(options, progress, wall_start, duration);
    resources.finish();

    std::vector<bool> offline_to_end(n_clients, false);
    for (std::size_t c = 0; c < n_clients; ++c)
        offline_to_end[c] = offline[c] && offline_until >= duration;
    // The poll that decides "pending" is the slowest a recipient's app may be on (background
    // phones poll every background_poll_interval_s).
    const bool background_polls = behaviour.active() || sc.text("client.mode") != "foreground";
    const double slowest_poll_s = background_polls
                                      ? std::max(sc.number("client.poll_interval_s"),
                                                 sc.number("client.background_poll_interval_s"))
                                      : sc.number("client.poll_interval_s");
    judge_messages(messages, clients, offline_to_end, dynamics, *directory->swarms,
                   survival_rules(sc, duration, slowest_poll_s));
    auto summary = summarize(messages, requests);
    summary["network"] = {{"service_nodes", n_nodes},
                          {"clients", n_clients},
                          {"offline_clients", std::count(offline.begin(), offline.end(), true)},
                          {"swarms", directory->swarms->ids().size()},
                          {"latency_model", model->name()}};
    summary["network"]["connections_at_end"] = open_connections(service_hosts);
    summary["churn"] = dynamics.summary();
    std::vector<const client::Client*> protocol_clients;
    std::uint64_t pool_refreshes = 0;
    for (const auto& c : clients) {
        protocol_clients.push_back(&c->Client());
        pool_refreshes += c->PoolRefreshes();
    }
    summary["clients"] = client_costs(protocol_clients, pool_refreshes, duration);
    if (hostile.active())
        summary["hostile"] = hostile.summary(node_apps, summary["clients"], messages);
    if (behaviour.active())
        summary["clients"]["app_sessions"] = behaviour.sessions();
    if (background_mode)
        summary["clients"]["active"] = std::count(active.begin(), active.end(), true);
    if (load)
        summary["load"] = load->summary(duration);
    std::set<std::uint32_t> client_addresses;
    for (std::size_t c = 0; c < n_clients; ++c)
        client_addresses.insert(hosts[n_nodes + c].ipv4);
    if (push.active())
        summary["push"] = push.summary(clients, client_addresses);
    std::optional<EndpointView> endpoint;
    if (const auto e = sc.integer("adversary.endpoint"); e >= 0) {
        if (static_cast<std::size_t>(e) >= n_clients) {
            throw ScenarioError(sc.source() + ": adversary.endpoint: client " + std::to_string(e) +
                                " does not exist (" + std::to_string(n_clients) + " clients)");
        }
        endpoint.emplace(static_cast<std::size_t>(e), messages, groups.deliveries(), bytes);
        summary["endpoint"] = endpoint->summary();
    }
    if (attachments.active())
        summary["attachments"] = attachments.summary(client_addresses);
    if (communities.active())
        summary["communities"] = communities.summary(duration, client_addresses);
    if (groups.active()) {
        // Group swarms are polled every 5 s while active.
        summary["groups"] = groups.summary(
            duration, 2 * 5.0 + sc.number("client.request_timeout_s") *
                                    static_cast<double>(sc.integer("client.send_attempts")));
    }
    if (!sc.text("churn.outage_group").empty()) {
        summary["outage"] = summarize_outage_window(messages, sc.number("churn.outage_at_s"),
                                                    sc.number("churn.outage_duration_s"));
    }
    if (adversary.active()) {
        summary["adversary"] = adversary.summary(n_clients, directory->swarms->ids().size());
        std::vector<const storage::MessageStore*> stores;
        for (std::size_t i = 0; i < n_nodes; ++i) {
            if (i < adversary.nodes().size() && adversary.nodes()[i])
                stores.push_back(&service_hosts[i].app->Node().store());
        }
        std::map<crypto::Ed25519PublicKey, std::size_t> index_of;
        for (std::size_t i = 0; i < n_nodes; ++i)
            index_of[service_hosts[i].contact.ed25519] = i;
        const auto& bad = adversary.nodes();
        summary["adversary"]["storage"] =
            adversary.storage_summary(stores, messages, [&](std::uint64_t swarm) {
                std::size_t n = 0;
                for (const auto& member : directory->swarms->members(swarm)) {
                    const auto i = index_of.at(member.ed25519);
                    n += i < bad.size() && bad[i];
                }
                return n;
            });
    }
    ns3::Simulator::Destroy();

    write_common_results(options, sc, summary, messages, requests, hosts, n_nodes, "service_node",
                         adversary.nodes());
    const std::filesystem::path dir(options.out_dir);
    std::ofstream b(dir / "blocks.csv");
    write_blocks_csv(b, dynamics.blocks());
    std::ofstream e(dir / "node_events.csv");
    write_node_events_csv(e, dynamics.node_events());
    if (adversary.active()) {
        std::ofstream o(dir / "observations.csv");
        adversary.write_observations_csv(o);
        std::ofstream u(dir / "users.csv");
        adversary.write_users_csv(u);
        std::ofstream a(dir / "anonymity.csv");
        adversary.write_anonymity_csv(a, n_clients);
    }
    if (communities.active()) {
        std::ofstream cm(dir / "community_messages.csv");
        communities.write_deliveries_csv(cm);
        std::ofstream cs(dir / "community_server.csv");
        communities.write_server_csv(cs);
    }
    if (endpoint) {
        std::ofstream ep(dir / "endpoint.csv");
        endpoint->write_csv(ep);
    }
    if (push.active()) {
        std::ofstream ps(dir / "push_server.csv");
        push.write_push_server_csv(ps);
        std::ofstream pl(dir / "platform.csv");
        push.write_platform_csv(pl);
    }
    if (load) {
        std::ofstream nl(dir / "node_load.csv");
        load->write_csv(nl);
    }
    if (attachments.active()) {
        std::ofstream at(dir / "attachments.csv");
        attachments.write_csv(at);
    }
    if (groups.active()) {
        std::ofstream gm(dir / "group_messages.csv");
        groups.write_csv(gm);
    }
    if (hostile.active()) {
        std::ofstream hn(std::filesystem::path(options.out_dir) / "hostile_nodes.csv");
        hostile.write_csv(hn, node_apps);
    }
    if (resources.active()) {
        std::ofstream rs(std::filesystem::path(options.out_dir) / "resources.csv");
        resources.write_csv(rs);
    }
    write_provenance(options.out_dir, sc, cost);
    return summary;
}

}  // namespace sessionsim::scenario
