#include "sim/observe/linkage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace sessionsim::observe {

std::vector<TrueRequest> trace_requests(const std::vector<Hop>& hops,
                                        const std::vector<std::uint32_t>& node_ip) {
    // A layer is named by who received it, from where, under which id on that link.
    std::map<std::tuple<std::size_t, std::uint32_t, std::uint64_t>, const Hop*> by_link;
    for (const auto& h : hops)
        by_link[{h.node, h.from_ip, h.request_id}] = &h;
    std::vector<TrueRequest> out;
    for (const auto& h : hops) {
        if (!h.from_client)
            continue;
        const Hop* at = &h;
        const Hop* before = nullptr;
        for (std::size_t steps = 0; at && at->next && steps < 32; ++steps) {
            const auto it = by_link.find({*at->next, node_ip.at(at->node), at->forwarded_as});
            before = at;
            at = it == by_link.end() ? nullptr : it->second;
        }
        if (!at || !at->executed)
            continue;
        TrueRequest r{h.from_ip, h.node,     at->node,   std::nullopt,
                      h.time_s,  at->time_s, at->method, at->account};
        if (before)
            r.last_relay = before->node;
        out.push_back(std::move(r));
    }
    return out;
}

RecipientExposure recipient_exposure(const std::vector<TrueRequest>& truth,
                                     const std::vector<bool>& malicious) {
    const auto bad = [&](std::size_t n) { return n < malicious.size() && malicious[n]; };
    RecipientExposure e;
    for (const auto& r : truth) {
        if (r.method != "store")
            continue;
        ++e.stores;
        if (bad(r.destination))
            ++e.identified;
        else if (r.last_relay && bad(*r.last_relay))
            ++e.swarm_known;
        else
            ++e.hidden;
    }
    return e;
}

namespace {

bool runs(const std::vector<bool>& malicious, std::size_t node) {
    return node < malicious.size() && malicious[node];
}

}  // namespace

Sightings node_sightings(const std::vector<TrueRequest>& truth,
                         const std::vector<bool>& malicious) {
    Sightings s;
    for (const auto& r : truth) {
        s.entry.push_back(runs(malicious, r.guard));
        s.exit.push_back(runs(malicious, r.destination));
    }
    return s;
}

namespace {

using Sighting = std::pair<double, std::size_t>;  // time, request (the request for scoring only)

/// Entry sightings in time order.
std::vector<Sighting> entries(const std::vector<TrueRequest>& truth, const Sightings& seen) {
    std::vector<Sighting> out;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (seen.entry[i])
            out.push_back({truth[i].guard_time_s, i});
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The entry sightings in [t - window, t].
std::pair<std::vector<Sighting>::const_iterator, std::vector<Sighting>::const_iterator> in_window(
    const std::vector<Sighting>& entries, double t, double window_s) {
    return {std::lower_bound(entries.begin(), entries.end(), Sighting{t - window_s, 0}),
            std::upper_bound(entries.begin(), entries.end(),
                             Sighting{t, std::numeric_limits<std::size_t>::max()})};
}

}  // namespace

std::vector<SenderGuess> guess_senders(const std::vector<TrueRequest>& truth, const Sightings& seen,
                                       double window_s) {
    const auto at_entries = entries(truth, seen);
    std::vector<SenderGuess> out;
    std::vector<std::size_t> by_time;  // places in `out`, by the time the exit saw the request
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (!seen.exit[i])
            continue;
        by_time.push_back(out.size());
        out.push_back({i, std::nullopt, 0});
    }
    std::stable_sort(by_time.begin(), by_time.end(), [&](std::size_t a, std::size_t b) {
        return truth[out[a].request].destination_time_s < truth[out[b].request].destination_time_s;
    });
    // Both ends of the window [t - w, t] only move forward as t grows, so the clients in it are
    // counted as entries come in and go out: linear in the requests, where a set per exit
    // sighting made a million clients' run take hours.
    std::unordered_map<std::uint32_t, std::size_t> in_window_count;
    auto first = at_entries.begin(), last = at_entries.begin();
    for (const std::size_t place : by_time) {
        auto& g = out[place];
        const auto [lo, hi] = in_window(at_entries, truth[g.request].destination_time_s, window_s);
        for (; last < hi; ++last)
            ++in_window_count[truth[last->second].client_ip];
        for (; first < lo; ++first) {
            const auto it = in_window_count.find(truth[first->second].client_ip);
            if (--it->second == 0)
                in_window_count.erase(it);
        }
        g.candidates = in_window_count.size();
        if (lo != hi)
            g.guess = truth[std::prev(hi)->second].client_ip;
    }
    return out;
}

LinkageScore score_linkage(const std::vector<TrueRequest>& truth, const Sightings& seen,
                           double window_s) {
    LinkageScore s;
    s.window_s = window_s;
    s.requests = truth.size();
    const auto at_entries = entries(truth, seen);
    std::size_t exits = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        s.positioned += seen.entry[i] && seen.exit[i];
        exits += seen.exit[i];
    }
    s.true_pairs = s.positioned;
    s.candidate_pairs = at_entries.size() * exits;
    for (std::size_t request = 0; request < truth.size(); ++request) {
        if (!seen.exit[request])
            continue;
        const double t = truth[request].destination_time_s;
        const auto [lo, hi] = in_window(at_entries, t, window_s);
        s.called += static_cast<std::size_t>(hi - lo);
        // Its own entry sighting is in the window exactly when in_window would have found it.
        const double g = truth[request].guard_time_s;
        s.called_true += seen.entry[request] && !(g < t - window_s) && !(t < g);
    }
    for (const auto& g : guess_senders(truth, seen, window_s)) {
        if (!g.guess)
            continue;
        ++s.guesses;
        s.guesses_right += *g.guess == truth[g.request].client_ip;
    }
    return s;
}

LinkageScore score_linkage(const std::vector<TrueRequest>& truth,
                           const std::vector<bool>& malicious, double window_s) {
    return score_linkage(truth, node_sightings(truth, malicious), window_s);
}

std::vector<StoreAnonymity> store_anonymity(const std::vector<TrueRequest>& truth,
                                            const std::vector<bool>& malicious, double window_s,
                                            std::size_t clients) {
    std::vector<const SenderGuess*> guess_of(truth.size(), nullptr);
    const auto guesses = guess_senders(truth, node_sightings(truth, malicious), window_s);
    for (const auto& g : guesses)
        guess_of[g.request] = &g;
    const double everyone = static_cast<double>(std::max<std::size_t>(clients, 1));
    std::vector<StoreAnonymity> out;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i].method != "store")
            continue;
        const auto* g = guess_of[i];
        StoreAnonymity a;
        a.request = i;
        if (g)
            a.guess = g->guess;
        a.linked = g && g->guess && *g->guess == truth[i].client_ip;
        a.sender = metrics::measure_uniform(
            g && g->candidates > 0 ? static_cast<double>(g->candidates) : everyone, everyone);
        out.push_back(a);
    }
    return out;
}

RelationshipScore score_relationships(const std::vector<TrueRequest>& truth,
                                      const std::vector<StoreAnonymity>& stores) {
    RelationshipScore r;
    std::set<std::pair<std::uint32_t, std::string>> edges, recovered;
    for (const auto& a : stores) {
        const auto& t = truth[a.request];
        ++r.stores;
        edges.emplace(t.client_ip, t.account);
        if (a.linked) {
            ++r.linked;
            recovered.emplace(t.client_ip, t.account);
        }
        r.mean_set_size += static_cast<double>(a.sender.set_size);
        r.mean_entropy_bits += a.sender.entropy_bits;
        r.mean_effective_size += a.sender.effective_size;
        r.mean_min_entropy_bits += a.sender.min_entropy_bits;
        r.mean_degree += a.sender.degree;
    }
    r.edges = edges.size();
    r.edges_recovered = recovered.size();
    if (r.stores > 0) {
        const double n = static_cast<double>(r.stores);
        for (double* mean : {&r.mean_set_size, &r.mean_entropy_bits, &r.mean_effective_size,
                             &r.mean_min_entropy_bits, &r.mean_degree})
            *mean /= n;
    }
    return r;
}

}  // namespace sessionsim::observe
