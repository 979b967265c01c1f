#include "sim/scenario/central_run.h"

#include <ns3/core-module.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "models/storage/swarm_view.h"
#include "sim/apps/central_client_app.h"
#include "sim/apps/central_server_app.h"
#include "sim/metrics/anonymity.h"
#include "sim/scenario/message_report.h"
#include "sim/scenario/survival.h"

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

void write_operator_log(std::ostream& out, const std::vector<central::OperatorRecord>& log) {
    out << "time_s,datacentre,sender_ip,sender,recipient,id,bytes\n";
    for (const auto& r : log) {
        char time[32];
        std::snprintf(time, sizeof(time), "%.6f",
                      static_cast<double>(r.at_ms - apps::kEpochMs) / 1000);
        out << time << ',' << r.datacentre << ',' << storage::ipv4_string(r.sender_ip) << ','
            << r.sender << ',' << r.recipient << ',' << r.id << ',' << r.bytes << '\n';
    }
}

/// What the operator's log reveals, scored against the truth: for each message sent, whether
/// the log names its sender (account and address) and recipient, the operator's sender and
/// recipient entropy (uniform over the accounts its records leave possible), and how much of
/// the social graph (pairs that exchanged a message) it recovers.
/// What the operator's log gives away: summary.json's "operator" block, its console line and
/// the metadata cells it shares with the Session adversary.
void report_operator(const std::vector<central::OperatorRecord>& log,
                     const std::vector<MessageRecord>& messages,
                     const std::vector<std::optional<std::uint64_t>>& app_ids,
                     const std::vector<std::string>& accounts,
                     const std::vector<net::PlacedHost>& client_hosts, RunReport& report) {
    // (sender account, its message id) -> what the operator wrote down; a retry logs again.
    std::map<std::pair<std::string, std::uint64_t>, std::vector<const central::OperatorRecord*>>
        by_message;
    for (const auto& r : log)
        by_message[{r.sender, r.id}].push_back(&r);
    std::size_t seen = 0, pair_linked = 0, address_linked = 0;
    double sender_entropy = 0, recipient_entropy = 0;
    std::set<std::pair<std::size_t, std::size_t>> edges, recovered;
    for (const auto& m : messages) {
        edges.emplace(m.sender, m.recipient);
        if (!app_ids[m.id])
            continue;
        const auto it = by_message.find({accounts[m.sender], *app_ids[m.id]});
        if (it == by_message.end())
            continue;
        ++seen;
        std::set<std::string> senders, recipients;
        bool address = false;
        for (const auto* r : it->second) {
            senders.insert(r->sender);
            recipients.insert(r->recipient);
            address |= r->sender_ip == client_hosts[m.sender].ipv4;
        }
        sender_entropy +=
            metrics::measure_uniform(static_cast<double>(senders.size())).entropy_bits;
        recipient_entropy +=
            metrics::measure_uniform(static_cast<double>(recipients.size())).entropy_bits;
        if (senders.size() == 1 && *senders.begin() == accounts[m.sender] &&
            recipients.size() == 1 && *recipients.begin() == accounts[m.recipient]) {
            ++pair_linked;
            recovered.emplace(m.sender, m.recipient);
        }
        address_linked += address;
    }
    const auto ratio = [](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0
                      : std::round(static_cast<double>(a) / static_cast<double>(b) * 1e6) / 1e6;
    };
    const auto mean = [&](double sum) {
        return seen == 0 ? 0.0 : std::round(sum / static_cast<double>(seen) * 1e6) / 1e6;
    };
    const double linkage = ratio(pair_linked, messages.size());
    const double entropy = mean(sender_entropy);
    const double graph_recovered = ratio(recovered.size(), edges.size());
    report.summary["operator"] = {{"records", log.size()},
                                  {"messages_sent", messages.size()},
                                  {"messages_seen", seen},
                                  {"relationship_linkage_rate", linkage},
                                  {"sender_address_rate", ratio(address_linked, messages.size())},
                                  {"mean_sender_entropy_bits", entropy},
                                  {"mean_recipient_entropy_bits", mean(recipient_entropy)},
                                  {"social_graph",
                                   {{"edges", edges.size()},
                                    {"recovered", recovered.size()},
                                    {"fraction", graph_recovered}}}};
    std::ostringstream line;
    line << "logged " << seen << " of " << messages.size()
         << " messages with sender and recipient; links " << linkage * 100
         << "% of sender-recipient pairs (sender entropy " << number_text(entropy) << " bits), "
         << recovered.size() << " of " << edges.size() << " social-graph edges";
    report.line("operator", line.str());
    report.measure("relationship_linkage_rate", linkage);
    report.measure("mean_sender_entropy_bits", entropy);
    report.measure("social_graph_recovered", graph_recovered);
}

}  // namespace

RunReport run_central(const Scenario& sc, const RunOptions& options, std::ostream& progress,
                      const CentralInputs& in) {
    if (sc.integer("groups.count") > 0) {
        throw ScenarioError(sc.source() +
                            ": groups.count: the centralized baseline has no "
                            "groups; set messenger = \"session\" or groups.count = 0");
    }
    const std::uint64_t seed = in.seed;
    const auto datacentres = place_datacentres(sc, in.model, in.cities, seed);
    const std::size_t n_dc = datacentres.size();
    const std::size_t n_clients = in.client_hosts.size();
    auto hosts = datacentres;
    hosts.insert(hosts.end(), in.client_hosts.begin(), in.client_hosts.end());
    const auto wan = build_network(sc, hosts, in.model, seed);
    const auto home = home_datacentres(datacentres, in.client_hosts, in.model);

    std::vector<identity::Identity> identities;
    std::vector<std::string> accounts;
    auto home_of_account = std::make_shared<std::map<std::string, std::size_t>>();
    for (std::size_t c = 0; c < n_clients; ++c) {
        identities.push_back(
            identity::Identity::from_ed25519_seed(derived_seed(seed, "client ", c)));
        accounts.push_back(identities.back().session_id().to_hex());
        (*home_of_account)[accounts.back()] = home[c];
    }
    const central::OperatorServer::HomeOf home_of = [home_of_account](const std::string& a) {
        const auto it = home_of_account->find(a);
        return it == home_of_account->end() ? std::size_t{0} : it->second;
    };

    // The operator: one server per data centre, and what it records.
    std::vector<central::OperatorRecord> log;
    std::vector<ns3::Ptr<apps::CentralServerApp>> servers;
    std::vector<ns3::Ipv4Address> dc_addresses(wan.addresses.begin(),
                                               wan.addresses.begin() + static_cast<long>(n_dc));
    for (std::size_t k = 0; k < n_dc; ++k) {
        auto app = ns3::CreateObject<apps::CentralServerApp>();
        app->Configure(k, dc_addresses, home_of);
        app->TraceConnectWithoutContext(
            "MessageRouted", ns3::MakeCallback(+[](std::vector<central::OperatorRecord>* records,
                                                   const central::OperatorRecord& r) {
                                 records->push_back(r);
                             }).Bind(&log));
        wan.nodes.Get(static_cast<std::uint32_t>(k))->AddApplication(app);
        servers.push_back(app);
    }
    const double outage_at = sc.number("central.outage_at_s");
    const double outage_for = sc.number("central.outage_duration_s");
    if (outage_for > 0) {
        ns3::Simulator::Schedule(ns3::Seconds(outage_at), [&servers] {
            for (auto& s : servers)
                s->GoDark();
        });
        ns3::Simulator::Schedule(ns3::Seconds(outage_at + outage_for), [&servers] {
            for (auto& s : servers)
                s->Restore();
        });
    }

    // Clients, with the same identities, places and offline periods as in a Session run.
    std::vector<MessageRecord> messages;
    std::vector<std::optional<std::uint64_t>> app_ids;  // message -> the sender app's id
    std::vector<std::map<std::uint64_t, std::size_t>> message_index(n_clients);
    std::vector<ns3::Ptr<apps::CentralClientApp>> clients;
    const double duration = sc.number("duration_s");
    const auto offline = offline_clients(sc, n_clients, seed);
    const double offline_until = sc.number("workload.offline_until_s");
    for (std::size_t c = 0; c < n_clients; ++c) {
        apps::ClientObserver observer;
        observer.stored = [&, c](const client::MessageStored& s) {
            if (auto it = message_index[c].find(s.message_id); it != message_index[c].end()) {
                messages[it->second].stored_s = ns3::Simulator::Now().GetSeconds();
                messages[it->second].hash = s.hash;
            }
        };
        observer.received = [&messages, c](const client::MessageReceived& m) {
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
        app->Configure(identities[c], dc_addresses[home[c]], seed + c, observer);
        if (offline[c] && offline_until < duration)
            app->SetStartTime(ns3::Seconds(offline_until));
        else if (offline[c])
            app->SetStartTime(ns3::Seconds(duration + 1));  // never comes online in this run
        wan.nodes.Get(static_cast<std::uint32_t>(n_dc + c))->AddApplication(app);
        clients.push_back(app);
    }
    crypto::SeededRandom workload_random(seed, "workload");
    const auto bytes = static_cast<std::size_t>(sc.integer("workload.message_bytes"));
    schedule_messages(sc, offline, 0, workload_random, messages,
                      [&](std::size_t c, std::size_t to, std::uint64_t id) {
                          const auto app_id = clients[c]->SendText(identities[to].session_id(),
                                                                   message_text(id, bytes));
                          message_index[c][app_id] = id;
                          app_ids[id] = app_id;
                      });
    app_ids.resize(messages.size());

    const auto cost = run_simulation(options, progress, in.wall_start, duration);

    // Fates: an undelivered message acknowledged by the operator waits in its recipient's
    // mailbox (a "live holder") unless the operator is down at the end.
    const SurvivalRules rules{.end_s = duration,
                              .ttl_s = 30 * 86400.0,
                              .late_after_s = sc.number("metrics.late_after_s"),
                              .pending_window_s = sc.number("client.request_timeout_s") +
                                                  sc.number("central.reconnect_interval_s")};
    for (auto& m : messages) {
        Holders holders{.recipient_offline = offline[m.recipient] && offline_until >= duration};
        if (!m.delivered_s && m.stored_s && app_ids[m.id]) {
            const auto& dc = servers[home[m.recipient]];
            if (dc->Server().holds(accounts[m.recipient], accounts[m.sender], *app_ids[m.id]))
                ++(dc->IsDark() ? holders.down : holders.up_in_swarm);
        }
        m.fate = message_fate(m, holders, rules);
    }
    std::uint64_t reconnects = 0, unsent = 0;
    for (const auto& c : clients) {
        reconnects += c->Reconnects();
        unsent += c->Client().outbox_size();
    }
    RunReport report;
    std::ostringstream network;
    network << "centralized operator with " << n_dc << " data centres, " << n_clients
            << " clients, " << in.model.name() << " latencies";
    report.line("network", network.str());
    report_messages(measure_messages(messages, {}), false, "the recipient's app", report);
    report.summary["network"] = {
        {"messenger", "central"},
        {"datacentres", n_dc},
        {"clients", n_clients},
        {"offline_clients", std::count(offline.begin(), offline.end(), true)},
        {"latency_model", in.model.name()}};
    report.summary["clients"] = {{"reconnects", reconnects}, {"still_in_outbox", unsent}};
    report_operator(log, messages, app_ids, accounts, in.client_hosts, report);
    if (outage_for > 0) {
        // Held on the device until the operator is back: uniform over the outage, so D/2 (§4).
        report_outage(measure_outage_window(messages, outage_at, outage_for), outage_for / 2,
                      report);
    }
    ns3::Simulator::Destroy();

    write_common_results(options, sc, report.summary, messages, {}, hosts, n_dc, "datacentre", {});
    std::ofstream log_csv(std::filesystem::path(options.out_dir) / "operator_log.csv");
    write_operator_log(log_csv, log);
    write_provenance(options.out_dir, sc, cost);
    return report;
}

}  // namespace sessionsim::scenario
