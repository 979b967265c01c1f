#include "sim/scenario/journey_trace.h"

#include <ns3/callback.h>
#include <ns3/simulator.h>

#include <fstream>

#include "sim/scenario/records.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {
namespace {

/// How long a store waits for the acknowledgement that names its message: longer than any
/// request's timeout, so that every replica stored before the answer came back is still there.
constexpr double kStoreWindowS = 120;

}  // namespace

JourneyTrace::JourneyTrace(const Scenario& sc)
    : enabled_(sc.text("messenger") == "session" && sc.flag("trace.journeys")) {}

void JourneyTrace::install(SessionRun& run) {
    std::vector<std::uint32_t> clients;
    for (std::size_t c = 0; c < run.n_clients; ++c)
        clients.push_back(run.hosts[run.n_nodes + c].ipv4);
    set_client_addresses(clients);
    for (std::size_t i = 0; i < run.node_apps.size(); ++i) {
        const std::uint32_t ipv4 = run.hosts[i].ipv4;
        run.node_apps[i]->TraceConnectWithoutContext(
            "HopObserved", ns3::MakeCallback(&JourneyTrace::record_hop, this).Bind(i, ipv4));
        run.node_apps[i]->TraceConnectWithoutContext(
            "MessageStored", ns3::MakeCallback(&JourneyTrace::stored_now, this).Bind(i));
    }
}

void JourneyTrace::set_client_addresses(const std::vector<std::uint32_t>& ipv4) {
    client_of_ipv4_.clear();
    for (std::size_t c = 0; c < ipv4.size(); ++c)
        client_of_ipv4_[ipv4[c]] = c;
}

void JourneyTrace::record_hop(std::size_t node, std::uint32_t node_ipv4,
                              const apps::HopRecord& hop) {
    const LinkKey link{hop.from_ipv4, hop.request_id};
    RequestKey request;
    if (hop.view.from_client) {
        const auto client = client_of_ipv4_.find(hop.from_ipv4);
        if (client == client_of_ipv4_.end())
            return;  // not one of the run's clients
        request = {client->second, hop.request_id};
        open_.insert_or_assign(request, OpenRequest{});
    } else {
        const auto awaited = awaited_.find(link);
        if (awaited == awaited_.end())
            return;  // a layer of a request no guard saw start (a node's own request)
        request = awaited->second;
        awaited_.erase(awaited);
    }
    auto open = open_.find(request);
    if (open == open_.end())
        return;
    open->second.hops.push_back(
        {node, hop.time.GetSeconds(), node::outcome_name(hop.view.outcome)});
    open->second.next.reset();
    if (hop.view.outcome == node::HopView::Outcome::forwarded) {
        const LinkKey next{node_ipv4, hop.view.forwarded_as};
        awaited_[next] = request;
        open->second.next = next;
    }
}

void JourneyTrace::request_ended(std::size_t client, std::uint64_t request_id) {
    auto open = open_.find({client, request_id});
    if (open == open_.end()) {
        ended_.erase(client);
        return;
    }
    if (open->second.next)  // the layer never reached its next hop
        awaited_.erase(*open->second.next);
    ended_[client] = {request_id, std::move(open->second.hops)};
    open_.erase(open);
}

void JourneyTrace::record_store(std::size_t node, const std::string& hash, double time_s) {
    if (const auto known = message_of_hash_.find(hash); known != message_of_hash_.end()) {
        journeys_[known->second].replicas.push_back({node, time_s});
        return;
    }
    while (!store_order_.empty() && store_order_.front().first < time_s - kStoreWindowS) {
        const auto& [t, h] = store_order_.front();
        if (auto it = recent_stores_.find(h);
            it != recent_stores_.end() && !it->second.empty() && it->second.front().time_s <= t) {
            recent_stores_.erase(it);
        }
        store_order_.pop_front();
    }
    auto& stores = recent_stores_[hash];
    if (stores.empty())
        store_order_.emplace_back(time_s, hash);
    stores.push_back({node, time_s});
}

void JourneyTrace::stored_now(std::size_t node, const std::string& hash) {
    record_store(node, hash, ns3::Simulator::Now().GetSeconds());
}

void JourneyTrace::keep_store(std::size_t client, std::uint64_t request_id, std::uint64_t message,
                              const std::string& hash) {
    auto& journey = journeys_[message];
    if (auto ended = ended_.find(client);
        ended != ended_.end() && ended->second.first == request_id) {
        journey.store = std::move(ended->second.second);
        ended_.erase(ended);
    }
    if (auto stores = recent_stores_.find(hash); stores != recent_stores_.end()) {
        journey.replicas = std::move(stores->second);
        recent_stores_.erase(stores);
    }
    message_of_hash_[hash] = message;
}

void JourneyTrace::keep_poll(std::size_t client, std::uint64_t request_id, std::uint64_t message) {
    auto ended = ended_.find(client);
    if (ended == ended_.end() || ended->second.first != request_id)
        return;
    // One poll can deliver several messages: each keeps a copy of its hops.
    journeys_[message].poll = ended->second.second;
}

void JourneyTrace::on_request(SessionRun&, std::size_t client, const apps::RequestRecord& r) {
    request_ended(client, r.request_id);
}

void JourneyTrace::on_direct_stored(SessionRun&, MessageRecord& m,
                                    const client::MessageStored& stored) {
    keep_store(m.sender, stored.request_id, m.id, stored.hash);
}

bool JourneyTrace::on_received(SessionRun& run, std::size_t client,
                               const client::MessageReceived& m, std::optional<std::uint64_t> id) {
    // The delivery the run counts: the recipient's first copy (the runner records it after the
    // features have seen it).
    if (id && *id < run.messages.size() && run.messages[*id].recipient == client &&
        !run.messages[*id].delivered_s) {
        keep_poll(client, m.request_id, *id);
    }
    return false;
}

void JourneyTrace::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "journeys.csv");
    out << "message,leg,step,node,time_s,outcome\n";
    for (const auto& [message, journey] : journeys_) {
        const auto hops = [&](const char* leg, const std::vector<JourneyHop>& steps) {
            for (std::size_t s = 0; s < steps.size(); ++s) {
                out << message << ',' << leg << ',' << s << ',' << steps[s].node << ','
                    << fixed(steps[s].time_s, 6) << ',' << steps[s].outcome << '\n';
            }
        };
        hops("store", journey.store);
        for (std::size_t s = 0; s < journey.replicas.size(); ++s) {
            out << message << ",replica," << s << ',' << journey.replicas[s].node << ','
                << fixed(journey.replicas[s].time_s, 6) << ",stored\n";
        }
        hops("poll", journey.poll);
    }
}

}  // namespace sessionsim::scenario
