#include "sim/scenario/adversary.h"

#include <cmath>
#include <set>
#include <stdexcept>

#include "models/storage/swarm_view.h"
#include "sim/metrics/anonymity.h"
#include "sim/observe/compromise.h"

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
                     crypto::RandomSource& random)
    : placement_(sc.text("adversary.placement")),
      bad_(nodes.size(), false),
      window_s_(sc.number("adversary.correlation_window_s")) {
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
                            "' is not \"random\", \"packed_subnets\" or \"provider:<name>\"");
    }
    try {
        bad_ = observe::compromise(nodes, count_, strategy, random, provider);
    } catch (const std::invalid_argument& e) {
        throw ScenarioError(sc.source() + ": adversary.placement: " + e.what());
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
    const auto truth = observe::trace_requests(ground_truth(), ips_);
    std::size_t guard = 0, destination = 0;
    for (const auto& r : truth) {
        guard += runs(r.guard);
        destination += runs(r.destination);
    }
    const auto link = observe::score_linkage(truth, bad_, window_s_);
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
    return {
        {"placement", placement_},
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
          {"expected_guard_and_destination", n > 1 ? rounded(m * (m - 1) / (n * (n - 1))) : 0.0}}},
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
            {"best_guess_accuracy", ratio(link.guesses_right, link.guesses)}}}}}};
}

}  // namespace sessionsim::scenario
