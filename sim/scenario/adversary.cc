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

namespace {

const char* outcome_name(node::HopView::Outcome o) {
    switch (o) {
        case node::HopView::Outcome::forwarded:
            return "forwarded";
        case node::HopView::Outcome::executed:
            return "executed";
        case node::HopView::Outcome::to_server:
            return "to_server";
        case node::HopView::Outcome::rejected:
            return "rejected";
    }
    return "rejected";
}

}  // namespace

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

void Adversary::summarize(const SessionRun& run, nlohmann::ordered_json& out) {
    out["adversary"] = summary(run.n_clients, run.directory->swarms->ids().size());
    std::vector<const storage::MessageStore*> stores;
    for (std::size_t i = 0; i < run.n_nodes; ++i) {
        if (runs(i))
            stores.push_back(&run.service_hosts[i].app->Node().store());
    }
    std::map<crypto::Ed25519PublicKey, std::size_t> index_of;
    for (std::size_t i = 0; i < run.n_nodes; ++i)
        index_of[run.service_hosts[i].contact.ed25519] = i;
    out["adversary"]["storage"] = storage_summary(stores, run.messages, [&](std::uint64_t swarm) {
        std::size_t n = 0;
        for (const auto& member : run.directory->swarms->members(swarm))
            n += runs(index_of.at(member.ed25519));
        return n;
    });
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

nlohmann::ordered_json Adversary::storage_summary(
    const std::vector<const storage::MessageStore*>& adversary_stores,
    const std::vector<MessageRecord>& messages,
    const std::function<std::size_t(std::uint64_t)>& adversary_members) const {
    std::set<std::string> held, owners;
    for (const auto* store : adversary_stores) {
        for (const auto* m : store->all()) {
            held.insert(m->hash);
            owners.insert(m->owner.to_hex());
        }
    }
    // A message's replicas: the members of its recipient's swarm that were running at the store.
    // P(at least one of s is malicious), drawing s of N without replacement with m malicious.
    const double n = static_cast<double>(bad_.size()), m = static_cast<double>(count_);
    std::size_t stored = 0, exposed = 0, in_adversary_swarm = 0;
    double expected = 0;
    for (const auto& message : messages) {
        if (message.hash.empty())
            continue;
        ++stored;
        exposed += held.contains(message.hash);
        in_adversary_swarm +=
            message.recipient_swarm && adversary_members(*message.recipient_swarm) > 0;
        double none = 1;
        for (std::size_t i = 0; i < message.swarm_up_at_store; ++i)
            none *= std::max(0.0, (n - m - static_cast<double>(i)) / (n - static_cast<double>(i)));
        expected += 1 - none;
    }
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const double count = static_cast<double>(std::max<std::size_t>(stored, 1));
    return {
        {"messages_held", held.size()},
        {"accounts_held", owners.size()},
        {"stored_messages", stored},
        {"stored_messages_held", exposed},
        {"held_fraction", rounded(static_cast<double>(exposed) / count)},
        {"swarm_has_adversary_fraction", rounded(static_cast<double>(in_adversary_swarm) / count)},
        {"expected_held_fraction", rounded(expected / count)}};
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
            << hop.request_id << ',' << (v.from_client ? 1 : 0) << ',' << outcome_name(v.outcome)
            << ',' << next << ',' << (v.next ? std::to_string(v.forwarded_as) : "") << ','
            << v.method << ',' << v.account << ',' << (v.ns ? std::to_string(*v.ns) : "") << ','
            << v.server << ',' << v.layer_bytes << '\n';
    }
}

nlohmann::ordered_json Adversary::summary(std::size_t clients, std::size_t swarms) const {
    std::set<std::uint32_t> client_addresses;
    std::set<std::string> accounts;
    std::size_t layers = 0, as_guard = 0, as_destination = 0;
    for (const auto& [observer, hop] : hops_) {
        if (!runs(observer))
            continue;
        ++layers;
        if (hop.view.from_client) {
            ++as_guard;
            client_addresses.insert(hop.from_ipv4);
        }
        if (hop.view.outcome == node::HopView::Outcome::executed) {
            ++as_destination;
            if (!hop.view.account.empty())
                accounts.insert(hop.view.account);
        }
    }
    const auto& truth = traced();
    std::size_t guard = 0, destination = 0;
    for (const auto& r : truth) {
        guard += runs(r.guard);
        destination += runs(r.destination);
    }
    const auto link = observe::score_linkage(truth, bad_, window_s_);
    const auto relations = observe::score_relationships(
        truth, observe::store_anonymity(truth, bad_, window_s_, clients));
    const auto seen = observe::recipient_exposure(truth, bad_);
    // Mean recipient entropy over the stores: 0 when identified, log2(U/S) when the swarm is
    // known, log2 U when nothing is (uniform over the accounts that fit, §1.3).
    const double u = static_cast<double>(std::max<std::size_t>(clients, 1));
    const double per_swarm =
        std::max(1.0, u / static_cast<double>(std::max<std::size_t>(swarms, 1)));
    const double mean_entropy =
        seen.stores == 0
            ? 0.0
            : (static_cast<double>(seen.swarm_known) *
                   metrics::measure_uniform(per_swarm).entropy_bits +
               static_cast<double>(seen.hidden) * metrics::measure_uniform(u).entropy_bits) /
                  static_cast<double>(seen.stores);
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const auto ratio = [&](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0 : rounded(static_cast<double>(a) / static_cast<double>(b));
    };
    const double n = static_cast<double>(bad_.size());
    const double m = static_cast<double>(count_);
    return {{"placement", placement_},
            {"nodes", count_},
            {"fraction", n > 0 ? m / n : 0.0},
            {"layers_observed", layers},
            {"layers_as_guard", as_guard},
            {"requests_executed", as_destination},
            {"client_addresses_seen", client_addresses.size()},
            {"accounts_seen", accounts.size()},
            {"onion_requests",
             {{"total", truth.size()},
              {"guard_malicious", ratio(guard, truth.size())},
              {"destination_malicious", ratio(destination, truth.size())},
              {"guard_and_destination", ratio(link.positioned, truth.size())},
              {"expected_guard_and_destination",
               n > 1 && m > 1 ? rounded(m * (m - 1) / (n * (n - 1))) : 0.0}}},
            {"recipient_anonymity",
             {{"stores", seen.stores},
              {"identified", seen.identified},
              {"known_up_to_swarm", seen.swarm_known},
              {"hidden", seen.hidden},
              {"mean_entropy_bits", rounded(mean_entropy)},
              {"max_entropy_bits", rounded(std::log2(u))},
              {"degree", u > 1 ? rounded(mean_entropy / std::log2(u)) : 0.0}}},
            {"linkage",
             {{"traced_requests", link.requests},
              {"positioned", link.positioned},
              {"timing_correlator",
               {{"window_s", link.window_s},
                {"true_pairs", link.true_pairs},
                {"called", link.called},
                {"called_true", link.called_true},
                {"tpr", rounded(link.tpr())},
                {"fpr", rounded(link.fpr())},
                {"precision", rounded(link.precision())},
                {"best_guesses", link.guesses},
                {"best_guess_accuracy", ratio(link.guesses_right, link.guesses)}}}}},
            {"relationships",
             {{"stores", relations.stores},
              {"linked", relations.linked},
              {"relationship_linkage_rate", ratio(relations.linked, relations.stores)},
              {"mean_sender_set_size", rounded(relations.mean_set_size)},
              {"mean_sender_entropy_bits", rounded(relations.mean_entropy_bits)},
              {"mean_sender_effective_size", rounded(relations.mean_effective_size)},
              {"mean_sender_min_entropy_bits", rounded(relations.mean_min_entropy_bits)},
              {"sender_degree", rounded(relations.mean_degree)},
              {"social_graph",
               {{"edges", relations.edges},
                {"recovered", relations.edges_recovered},
                {"fraction", ratio(relations.edges_recovered, relations.edges)}}}}},
            {"users", users_summary(truth)},
            {"link_observer", links_summary(truth)}};
}

nlohmann::ordered_json Adversary::links_summary(
    const std::vector<observe::TrueRequest>& truth) const {
    if (links_.empty())
        return nullptr;
    const auto node = [&](std::size_t n) { return n < node_watched_.size() && node_watched_[n]; };
    // The entry link runs client -> guard; the exit link last relay -> destination. Watching a
    // link gives addresses, times and sizes, never a layer's content: the exit reveals the
    // destination node (so the recipient's swarm), not the account.
    observe::Sightings seen;
    std::size_t entries = 0, exits = 0;
    for (const auto& r : truth) {
        seen.entry.push_back(clients_watched_.contains(r.client_ip) || node(r.guard));
        seen.exit.push_back(node(r.destination) || (r.last_relay && node(*r.last_relay)));
        entries += seen.entry.back();
        exits += seen.exit.back();
    }
    const auto link = observe::score_linkage(truth, seen, window_s_);
    const auto ratio = [](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0
                      : std::round(static_cast<double>(a) / static_cast<double>(b) * 1e6) / 1e6;
    };
    std::size_t nodes = 0;
    for (const bool w : node_watched_)
        nodes += w;
    return {{"links", links_},
            {"service_nodes_on_watched_links", nodes},
            {"clients_on_watched_links", clients_watched_.size()},
            {"entries_seen", ratio(entries, truth.size())},
            {"exits_seen", ratio(exits, truth.size())},
            {"both_ends_seen", ratio(link.positioned, truth.size())},
            {"timing_correlator",
             {{"window_s", link.window_s},
              {"true_pairs", link.true_pairs},
              {"called", link.called},
              {"called_true", link.called_true},
              {"tpr", ratio(link.called_true, link.true_pairs)},
              {"fpr", std::round(link.fpr() * 1e9) / 1e9},
              {"precision", ratio(link.called_true, link.called)},
              {"best_guesses", link.guesses},
              {"best_guess_accuracy", ratio(link.guesses_right, link.guesses)}}}};
}

nlohmann::ordered_json Adversary::users_summary(
    const std::vector<observe::TrueRequest>& truth) const {
    const auto users = observe::user_compromise(truth, bad_);
    const double n = static_cast<double>(bad_.size()), m = static_cast<double>(count_);
    std::size_t compromised = 0;
    double rate = 0, stores = 0;
    std::vector<double> ttfc;  // never-compromised users count as +infinity (censored)
    for (const auto& u : users) {
        compromised += u.first_compromised_at.has_value();
        rate += static_cast<double>(u.compromised) / static_cast<double>(u.stores);
        stores += static_cast<double>(u.stores);
        ttfc.push_back(u.first_compromised_s ? *u.first_compromised_s - u.first_store_s
                                             : std::numeric_limits<double>::infinity());
    }
    std::sort(ttfc.begin(), ttfc.end());
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const double count = static_cast<double>(std::max<std::size_t>(users.size(), 1));
    nlohmann::ordered_json by_messages = nlohmann::ordered_json::array();
    for (const std::size_t c : {1, 10, 100, 1000, 10000}) {
        std::size_t eligible = 0, hit = 0;
        for (const auto& u : users) {
            if (u.stores < c)
                continue;
            ++eligible;
            hit += u.first_compromised_at && *u.first_compromised_at <= c;
        }
        if (eligible == 0)
            break;
        const double expected =
            path_selection_ == "fresh"
                ? observe::expected_compromised_fresh(n, m, double(c))
                : observe::expected_compromised_guards(n, m, guards_, double(c));
        by_messages.push_back({{"messages", c},
                               {"users", eligible},
                               {"compromised_fraction",
                                rounded(static_cast<double>(hit) / static_cast<double>(eligible))},
                               {"expected", rounded(expected)}});
    }
    const double median =
        ttfc.empty() ? std::numeric_limits<double>::infinity() : ttfc[(ttfc.size() - 1) / 2];
    return {{"path_selection", path_selection_},
            {"users", users.size()},
            {"mean_stores", rounded(stores / count)},
            {"compromised", compromised},
            {"compromised_fraction", rounded(static_cast<double>(compromised) / count)},
            {"mean_compromise_rate", rounded(rate / count)},
            {"ttfc_median_s", std::isfinite(median) ? nlohmann::ordered_json(rounded(median))
                                                    : nlohmann::ordered_json(nullptr)},
            {"never_compromised", users.size() - compromised},
            {"by_messages", by_messages}};
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
