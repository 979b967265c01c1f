#include "sim/observe/linkage.h"

#include <algorithm>
#include <map>
#include <tuple>

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

LinkageScore score_linkage(const std::vector<TrueRequest>& truth,
                           const std::vector<bool>& malicious, double window_s) {
    LinkageScore s;
    s.window_s = window_s;
    s.requests = truth.size();
    const auto bad = [&](std::size_t n) { return n < malicious.size() && malicious[n]; };
    // What the adversary holds: guard observations (time, client) and destination observations
    // (time, which request -- for scoring only).
    std::vector<std::pair<double, std::size_t>> at_guards, at_destinations;  // time, request
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const auto& r = truth[i];
        const bool g = bad(r.guard), d = bad(r.destination);
        s.positioned += g && d;
        if (g)
            at_guards.push_back({r.guard_time_s, i});
        if (d)
            at_destinations.push_back({r.destination_time_s, i});
    }
    std::sort(at_guards.begin(), at_guards.end());
    s.true_pairs = s.positioned;
    s.candidate_pairs = at_guards.size() * at_destinations.size();
    for (const auto& [t_d, request] : at_destinations) {
        // Guard observations in [t_d - window, t_d].
        auto lo = std::lower_bound(at_guards.begin(), at_guards.end(),
                                   std::make_pair(t_d - window_s, std::size_t{0}));
        auto hi =
            std::upper_bound(at_guards.begin(), at_guards.end(), std::make_pair(t_d, truth.size()));
        const auto sender = truth[request].client_ip;
        for (auto it = lo; it != hi; ++it) {
            ++s.called;
            s.called_true += it->second == request;
        }
        if (lo != hi) {
            ++s.guesses;
            s.guesses_right += truth[std::prev(hi)->second].client_ip == sender;
        }
    }
    return s;
}

}  // namespace sessionsim::observe
