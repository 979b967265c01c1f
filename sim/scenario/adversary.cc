#include "sim/scenario/adversary.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <stdexcept>

#include "models/storage/swarm_view.h"
#include "sim/metrics/anonymity.h"
#include "sim/observe/compromise.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

Adversary::Adversary(const Scenario& sc, const std::vector<net::PlacedHost>& nodes,
                     std::size_t joiners, std::uint64_t seed)
    : placement_(sc.text("adversary.placement")),
      links_(sc.text("adversary.links")),
      path_selection_(sc.text("onion.path_selection")),
      bad_(nodes.size(), false),
      window_s_(sc.number("adversary.correlation_window_s")) {
    if (!links_.empty() && links_ != "global" && links_.rfind("country:", 0) != 0 &&
        links_.rfind("provider:", 0) != 0) {
        throw ScenarioError(sc.source() + ": adversary.links: '" + links_ +
                            "' is not \"global\", \"country:<CC>\" or \"provider:<name>\"");
    }
    if (placement_ == "joiners") {  // Sybils: every node that registers during the run
        if (joiners == 0) {
            throw ScenarioError(sc.source() +
                                ": adversary.placement: \"joiners\" needs churn.joins > 0");
        }
        bad_.assign(nodes.size() + joiners, false);
        std::fill(bad_.begin() + static_cast<long>(nodes.size()), bad_.end(), true);
        count_ = joiners;
        return;
    }
    const double fraction = sc.number("adversary.fraction");
    count_ = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(nodes.size())));
    if (count_ == 0)
        return;
    observe::CompromiseStrategy strategy = observe::CompromiseStrategy::random;
    std::string provider;
    if (placement_ == "packed_subnets") {
        strategy = observe::CompromiseStrategy::packed_subnets;
    } else if (placement_.rfind("provider:", 0) == 0) {
        strategy = observe::CompromiseStrategy::one_provider;
        provider = placement_.substr(9);
    } else if (placement_ != "random") {
        throw ScenarioError(sc.source() + ": adversary.placement: '" + placement_ +
                            "' is not \"random\", \"packed_subnets\", \"provider:<name>\" or "
                            "\"joiners\"");
    }
    try {
        crypto::SeededRandom random(seed, "adversary");
        bad_ = observe::compromise(nodes, count_, strategy, random, provider);
    } catch (const std::invalid_argument& e) {
        throw ScenarioError(sc.source() + ": adversary.placement: " + e.what());
    }
}

void Adversary::install(SessionRun& run) {
    place(run.hosts, run.n_nodes);
    std::vector<std::uint32_t> ips;
    for (std::size_t i = 0; i < run.n_nodes; ++i)
        ips.push_back(run.hosts[i].ipv4);
    watch(run.node_apps, std::move(ips));
}

void Adversary::write(const SessionRun& run, const std::filesystem::path& dir) const {
    std::ofstream observations(dir / "observations.csv");
    write_observations_csv(observations);
    std::ofstream users(dir / "users.csv");
    write_users_csv(users);
    std::ofstream anonymity(dir / "anonymity.csv");
    write_anonymity_csv(anonymity, run.n_clients);
}

void Adversary::place(const std::vector<net::PlacedHost>& hosts, std::size_t n_nodes) {
    const auto watched = [&](const net::PlacedHost& h) {
        if (links_ == "global")
            return true;
        if (links_.rfind("country:", 0) == 0)
            return h.location.country == links_.substr(8);
        return links_.rfind("provider:", 0) == 0 && h.provider == links_.substr(9);
    };
    node_watched_.assign(n_nodes, false);
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (links_.empty() || !watched(hosts[i]))
            continue;
        if (i < n_nodes)
            node_watched_[i] = true;
        else
            clients_watched_.insert(hosts[i].ipv4);
    }
}

void Adversary::watch(const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps,
                      std::vector<std::uint32_t> ips) {
    ips_ = std::move(ips);
    for (std::size_t i = 0; i < apps.size(); ++i) {
        index_[apps[i]->Node().id()] = i;
        if (active()) {
            apps[i]->TraceConnectWithoutContext(
                "HopObserved", ns3::MakeCallback(&Adversary::record, this).Bind(i));
        }
    }
}

void Adversary::record(std::size_t node, const apps::HopRecord& hop) {
    hops_.emplace_back(node, hop);
}

std::vector<observe::Hop> Adversary::ground_truth() const {
    std::vector<observe::Hop> out;
    out.reserve(hops_.size());
    for (const auto& [node, hop] : hops_) {
        observe::Hop h;
        h.time_s = hop.time.GetSeconds();
        h.node = node;
        h.from_ip = hop.from_ipv4;
        h.request_id = hop.request_id;
        h.from_client = hop.view.from_client;
        if (hop.view.next) {
            if (const auto it = index_.find(*hop.view.next); it != index_.end())
                h.next = it->second;
            h.forwarded_as = hop.view.forwarded_as;
        }
        h.executed = hop.view.outcome == node::HopView::Outcome::executed;
        h.method = hop.view.method;
        h.account = hop.view.account;
        out.push_back(std::move(h));
    }
    return out;
}

const std::vector<observe::TrueRequest>& Adversary::traced() const {
    if (!traced_)
        traced_ = observe::trace_requests(ground_truth(), ips_);
    return *traced_;
}

void Adversary::write_anonymity_csv(std::ostream& out, std::size_t clients) const {
    out << "time_s,sender_ip,recipient,recipient_known,candidates,entropy_bits,"
           "min_entropy_bits,degree,best_guess,linked\n";
    const auto& truth = traced();
    for (const auto& a : observe::store_anonymity(truth, bad_, window_s_, clients)) {
        const auto& t = truth[a.request];
        char time[32];
        std::snprintf(time, sizeof(time), "%.6f", t.destination_time_s);
        out << time << ',' << storage::ipv4_string(t.client_ip) << ',' << t.account << ','
            << (runs(t.destination) ? 1 : 0) << ',' << a.sender.set_size << ','
            << a.sender.entropy_bits << ',' << a.sender.min_entropy_bits << ',' << a.sender.degree
            << ',' << (a.guess ? storage::ipv4_string(*a.guess) : "") << ',' << (a.linked ? 1 : 0)
            << '\n';
    }
}

void Adversary::write_observations_csv(std::ostream& out) const {
    out << "time_s,observer,from_ip,request_id,from_client,outcome,next_node,forwarded_as,method,"
           "account,namespace,server,layer_bytes\n";
    for (const auto& [observer, hop] : hops_) {
        if (!runs(observer))
            continue;
        const auto& v = hop.view;
        std::string next;
        if (v.next) {
            const auto it = index_.find(*v.next);
            next = it == index_.end() ? to_hex(*v.next) : std::to_string(it->second);
        }
        char time[32];
        std::snprintf(time, sizeof(time), "%.6f", hop.time.GetSeconds());
        out << time << ',' << observer << ',' << storage::ipv4_string(hop.from_ipv4) << ','
            << hop.request_id << ',' << (v.from_client ? 1 : 0) << ','
            << node::outcome_name(v.outcome) << ',' << next << ','
            << (v.next ? std::to_string(v.forwarded_as) : "") << ',' << v.method << ',' << v.account
            << ',' << (v.ns ? std::to_string(*v.ns) : "") << ',' << v.server << ',' << v.layer_bytes
            << '\n';
    }
}

void Adversary::write_users_csv(std::ostream& out) const {
    out << "client_ip,stores,compromised,compromise_rate,first_compromised_at,ttfc_s\n";
    for (const auto& u : observe::user_compromise(traced(), bad_)) {
        out << storage::ipv4_string(u.client_ip) << ',' << u.stores << ',' << u.compromised << ','
            << static_cast<double>(u.compromised) / static_cast<double>(u.stores) << ','
            << (u.first_compromised_at ? std::to_string(*u.first_compromised_at) : "") << ','
            << (u.first_compromised_s ? std::to_string(*u.first_compromised_s - u.first_store_s)
                                      : "")
            << '\n';
    }
}

}  // namespace sessionsim::scenario
