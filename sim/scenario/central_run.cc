#include "sim/scenario/central_run.h"

#include <ns3/core-module.h>
#include <sstream>

#include "sim/scenario/central_results.h"

namespace sessionsim::scenario {
namespace {

/// The data centres: one host per country of central.datacentres, in the operator's own /16.
std::vector<net::PlacedHost> place_datacentres(const Scenario& sc, const net::LatencyModel& model,
                                               const net::MeasuredLatency* cities,
                                               std::uint64_t seed) {
    std::vector<std::string> countries;
    std::stringstream list(sc.text("central.datacentres"));
    for (std::string item; std::getline(list, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty())
            countries.push_back(item);
    }
    if (countries.empty() || countries.size() > 200) {
        throw ScenarioError(sc.source() +
                            ": central.datacentres: give 1 to 200 country codes, e.g. \"US, IE\"");
    }
    crypto::SeededRandom random(seed, "datacentres");
    std::vector<net::PlacedHost> out;
    for (std::size_t k = 0; k < countries.size(); ++k) {
        try {
            auto host = net::place_hosts(
                1, {{countries[k], 1.0}}, cities,
                {.hosts_per_subnet = 1,
                 .first_address = 0x1e000000 + (static_cast<std::uint32_t>(k) << 8)},
                random)[0];
            model.rtt_ms(host.location, host.location);  // is the country covered?
            host.provider = "operator";
            out.push_back(host);
        } catch (const std::exception& e) {
            throw ScenarioError(sc.source() + ": central.datacentres: '" + countries[k] +
                                "': " + e.what());
        }
    }
    return out;
}

/// Each client's data centre: the nearest by round-trip time (ties: the first listed).
std::vector<std::size_t> home_datacentres(const std::vector<net::PlacedHost>& datacentres,
                                          const std::vector<net::PlacedHost>& clients,
                                          const net::LatencyModel& model) {
    std::vector<std::size_t> home(clients.size(), 0);
    for (std::size_t c = 0; c < clients.size(); ++c) {
        double best = model.rtt_ms(clients[c].location, datacentres[0].location);
        for (std::size_t k = 1; k < datacentres.size(); ++k) {
            const double rtt = model.rtt_ms(clients[c].location, datacentres[k].location);
            if (rtt < best) {
                best = rtt;
                home[c] = k;
            }
        }
    }
    return home;
}

}  // namespace

CentralRun::CentralRun(const Scenario& scenario, const RunOptions& run_options,
                       const CentralInputs& inputs)
    : sc(scenario),
      options(run_options),
      in(inputs),
      seed(inputs.seed),
      duration_s(scenario.number("duration_s")) {
    if (sc.integer("groups.count") > 0) {
        throw ScenarioError(sc.source() +
                            ": groups.count: the centralized baseline has no "
                            "groups; set messenger = \"session\" or groups.count = 0");
    }
    if (!sc.text("trace.pcap").empty()) {
        throw ScenarioError(sc.source() +
                            ": trace.pcap: pcap traces are written by Session runs only; set "
                            "messenger = \"session\" or leave trace.pcap empty");
    }
    datacentres = place_datacentres(sc, in.model, in.cities, seed);
    n_dc = datacentres.size();
    n_clients = in.client_hosts.size();
    hosts = datacentres;
    hosts.insert(hosts.end(), in.client_hosts.begin(), in.client_hosts.end());
    wan = build_network(sc, hosts, in.model, seed);
    home = home_datacentres(datacentres, in.client_hosts, in.model);
    for (std::size_t c = 0; c < n_clients; ++c) {
        identities.push_back(
            identity::Identity::from_ed25519_seed(derived_seed(seed, "client ", c)));
        accounts.push_back(identities.back().session_id().to_hex());
    }
}

void start_operator(CentralRun& run) {
    auto home_of_account = std::make_shared<std::map<std::string, std::size_t>>();
    for (std::size_t c = 0; c < run.n_clients; ++c)
        (*home_of_account)[run.accounts[c]] = run.home[c];
    const central::OperatorServer::HomeOf home_of = [home_of_account](const std::string& a) {
        const auto it = home_of_account->find(a);
        return it == home_of_account->end() ? std::size_t{0} : it->second;
    };
    run.dc_addresses.assign(run.wan.addresses.begin(),
                            run.wan.addresses.begin() + static_cast<long>(run.n_dc));
    for (std::size_t k = 0; k < run.n_dc; ++k) {
        auto app = ns3::CreateObject<apps::CentralServerApp>();
        app->Configure(k, run.dc_addresses, home_of);
        app->TraceConnectWithoutContext(
            "MessageRouted", ns3::MakeCallback(+[](std::vector<central::OperatorRecord>* records,
                                                   const central::OperatorRecord& r) {
                                 records->push_back(r);
                             }).Bind(&run.log));
        run.wan.nodes.Get(static_cast<std::uint32_t>(k))->AddApplication(app);
        run.servers.push_back(app);
    }
    // central.outage_*: every data centre goes dark at once, and comes back.
    run.outage_at_s = run.sc.number("central.outage_at_s");
    run.outage_for_s = run.sc.number("central.outage_duration_s");
    if (run.outage_for_s > 0) {
        ns3::Simulator::Schedule(ns3::Seconds(run.outage_at_s), [&run] {
            for (auto& s : run.servers)
                s->GoDark();
        });
        ns3::Simulator::Schedule(ns3::Seconds(run.outage_at_s + run.outage_for_s), [&run] {
            for (auto& s : run.servers)
                s->Restore();
        });
    }
}

void start_central_clients(CentralRun& run) {
    const auto& sc = run.sc;
    run.message_index.resize(run.n_clients);
    run.offline = offline_clients(sc, run.n_clients, run.seed);
    run.offline_until_s = sc.number("workload.offline_until_s");
    for (std::size_t c = 0; c < run.n_clients; ++c) {
        apps::ClientObserver observer;
        observer.stored = [&run, c](const client::MessageStored& s) {
            const auto& index = run.message_index[c];
            if (auto it = index.find(s.message_id); it != index.end()) {
                run.messages[it->second].stored_s = ns3::Simulator::Now().GetSeconds();
                run.messages[it->second].hash = s.hash;
            }
        };
        observer.received = [&messages = run.messages, c](const client::MessageReceived& m) {
            const auto id = message_id_of(m.message.text);
            if (id && *id < messages.size() && messages[*id].recipient == c &&
                !messages[*id].delivered_s)
                messages[*id].delivered_s = ns3::Simulator::Now().GetSeconds();
        };
        auto app = ns3::CreateObject<apps::CentralClientApp>();
        app->SetAttribute("HandshakeRoundTrips",
                          ns3::IntegerValue(sc.integer("client.handshake_round_trips")));
        app->SetAttribute("AckTimeout",
                          ns3::TimeValue(ns3::Seconds(sc.number("client.request_timeout_s"))));
        app->SetAttribute("ReconnectInterval",
                          ns3::TimeValue(ns3::Seconds(sc.number("central.reconnect_interval_s"))));
        app->SetAttribute("KeepaliveInterval",
                          ns3::TimeValue(ns3::Seconds(sc.number("central.keepalive_interval_s"))));
        app->Configure(run.identities[c], run.dc_addresses[run.home[c]], run.seed + c, observer);
        if (run.offline[c] && run.offline_until_s < run.duration_s)
            app->SetStartTime(ns3::Seconds(run.offline_until_s));
        else if (run.offline[c])
            app->SetStartTime(ns3::Seconds(run.duration_s + 1));  // never online in this run
        run.wan.nodes.Get(static_cast<std::uint32_t>(run.n_dc + c))->AddApplication(app);
        run.clients.push_back(app);
    }
}

void schedule_central_workload(CentralRun& run) {
    crypto::SeededRandom workload_random(run.seed, "workload");
    const auto bytes = static_cast<std::size_t>(run.sc.integer("workload.message_bytes"));
    schedule_messages(run.sc, run.offline, 0, workload_random, run.messages,
                      [&run, bytes](std::size_t c, std::size_t to, std::uint64_t id) {
                          const auto app_id = run.clients[c]->SendText(
                              run.identities[to].session_id(), message_text(id, bytes));
                          run.message_index[c][app_id] = id;
                          run.app_ids[id] = app_id;
                      });
    run.app_ids.resize(run.messages.size());
}

RunReport run_central(const Scenario& sc, const RunOptions& options, std::ostream& progress,
                      const CentralInputs& inputs) {
    CentralRun run(sc, options, inputs);
    start_operator(run);
    start_central_clients(run);
    schedule_central_workload(run);
    const auto cost = run_simulation(options, progress, inputs.wall_start, run.duration_s);
    judge_central_messages(run);
    auto report = summarize_central_run(run);
    ns3::Simulator::Destroy();
    write_central_results(run, report.summary, cost);
    return report;
}

}  // namespace sessionsim::scenario
