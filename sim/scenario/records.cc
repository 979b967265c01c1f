#include "sim/scenario/records.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace sessionsim::scenario {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return buf;
}

Distribution distribution_of(const std::vector<double>& values) {
    const auto rounded = [&](double p) -> std::optional<double> {
        const auto v = percentile(values, p);
        return v ? std::optional(std::round(*v * 1000) / 1000) : std::nullopt;
    };
    return {values.size(), rounded(50), rounded(90), rounded(99)};
}

nlohmann::ordered_json Distribution::to_json() const {
    const auto value = [](std::optional<double> v) {
        return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
    };
    return {{"count", count}, {"p50", value(p50)}, {"p90", value(p90)}, {"p99", value(p99)}};
}

std::string MessageRecord::status() const {
    if (delivered_s)
        return "delivered";
    if (!failure.empty())
        return "failed";
    if (stored_s)
        return "stored";
    return "pending";
}

std::optional<double> percentile(std::vector<double> values, double p) {
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const double rank = p / 100 * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

void write_messages_csv(std::ostream& out, const std::vector<MessageRecord>& messages) {
    out << "id,sent_s,stored_s,delivered_s,sender,recipient,bytes,hops,status,fate,recipient_swarm,"
           "swarm_up_at_store,store_request,poll_request\n";
    const auto optional = [](const std::optional<std::uint64_t>& v) {
        return v ? std::to_string(*v) : std::string();
    };
    for (const auto& m : messages) {
        out << m.id << ',' << fixed(m.sent_s, 6) << ',' << (m.stored_s ? fixed(*m.stored_s, 6) : "")
            << ',' << (m.delivered_s ? fixed(*m.delivered_s, 6) : "") << ',' << m.sender << ','
            << m.recipient << ',' << m.bytes << ',' << m.hops << ',' << m.status() << ',' << m.fate
            << ',' << (m.recipient_swarm ? std::to_string(*m.recipient_swarm) : "") << ','
            << m.swarm_up_at_store << ',' << optional(m.store_request) << ','
            << optional(m.poll_request) << '\n';
    }
}

void write_requests_csv(std::ostream& out, const std::vector<RequestRow>& requests) {
    out << "client,request_id,guard,destination,start_s,end_s,rtt_ms,status,hops,probe\n";
    for (const auto& r : requests) {
        out << r.client << ',' << r.request_id << ',' << to_hex(r.guard) << ','
            << to_hex(r.destination) << ',' << fixed(r.start_s, 6) << ',' << fixed(r.end_s, 6)
            << ',' << fixed((r.end_s - r.start_s) * 1000, 3) << ',' << r.status << ',' << r.hops
            << ',' << (r.probe ? 1 : 0) << '\n';
    }
}

MessageFigures measure_messages(const std::vector<MessageRecord>& messages,
                                const std::vector<RequestRow>& requests) {
    MessageFigures f;
    std::vector<double> rtts, delivery;
    std::map<std::size_t, std::vector<double>> probes;  // hops -> RTTs
    for (const auto& r : requests) {
        if (r.probe) {
            if (r.status == 200)
                probes[r.hops].push_back((r.end_s - r.start_s) * 1000);
            continue;
        }
        if (r.hops == 0)
            continue;  // a direct request (a guard test): not an onion request
        ++f.requests;
        if (r.status == 200) {
            ++f.requests_ok;
            rtts.push_back((r.end_s - r.start_s) * 1000);
        } else if (r.status == 0) {
            ++f.request_timeouts;
        }
    }
    auto& sv = f.survival;
    for (const auto& m : messages) {
        if (m.fate.rfind("lost: ", 0) == 0) {
            ++sv.lost;
            ++sv.lost_by_reason[m.fate.substr(6)];
        } else if (m.fate == "delivered") {
            ++sv.delivered;
        } else if (m.fate == "delivered_late") {
            ++sv.delivered_late;
        } else if (m.fate == "pending") {
            ++sv.pending_at_end;
        } else if (m.fate == "awaiting_recipient") {
            ++sv.awaiting_recipient;
        }
        if (m.delivered_s) {
            ++f.delivered;
            delivery.push_back((*m.delivered_s - m.sent_s) * 1000);
        }
        f.stored += m.stored_s.has_value();
        f.failed += !m.failure.empty();
    }
    f.sent = messages.size();
    const auto ratio = [&](std::size_t n) {
        return messages.empty() ? 0.0
                                : std::round(static_cast<double>(n) /
                                             static_cast<double>(messages.size()) * 1e6) /
                                      1e6;
    };
    f.delivery_ratio = ratio(f.delivered);
    sv.loss_ratio = ratio(sv.lost);
    f.onion_rtt_ms = distribution_of(rtts);
    f.delivery_delay_ms = distribution_of(delivery);
    for (const auto& [hops, values] : probes)
        f.probe_rtt_ms[hops] = distribution_of(values);
    return f;
}

nlohmann::ordered_json MessageFigures::to_json() const {
    nlohmann::ordered_json probe_table = nlohmann::ordered_json::object();
    for (const auto& [hops, d] : probe_rtt_ms)
        probe_table[hops == 0 ? std::string("direct") : std::to_string(hops) + "_hops"] =
            d.to_json();
    return {{"messages",
             {{"sent", sent},
              {"stored", stored},
              {"delivered", delivered},
              {"failed", failed},
              {"delivery_ratio", delivery_ratio}}},
            {"survival",
             {{"delivered", survival.delivered},
              {"delivered_late", survival.delivered_late},
              {"pending_at_end", survival.pending_at_end},
              {"awaiting_recipient", survival.awaiting_recipient},
              {"lost", survival.lost},
              {"loss_ratio", survival.loss_ratio},
              {"lost_by_reason", survival.lost_by_reason}}},
            {"onion_requests",
             {{"total", requests},
              {"ok", requests_ok},
              {"timeouts", request_timeouts},
              {"other_errors", requests - requests_ok - request_timeouts}}},
            {"onion_rtt_ms", onion_rtt_ms.to_json()},
            {"delivery_delay_ms", delivery_delay_ms.to_json()},
            {"probe_rtt_ms", probe_table}};
}

nlohmann::ordered_json summarize(const std::vector<MessageRecord>& messages,
                                 const std::vector<RequestRow>& requests) {
    return measure_messages(messages, requests).to_json();
}

OutageFigures measure_outage_window(const std::vector<MessageRecord>& messages, double at_s,
                                    double duration_s) {
    std::vector<double> before, during;  // delivery delays, s
    OutageFigures f;
    f.at_s = at_s;
    f.duration_s = duration_s;
    for (const auto& m : messages) {
        if (m.sent_s >= at_s + duration_s)
            continue;
        const bool is_before = m.sent_s < at_s;
        ++(is_before ? f.before : f.during).sent;
        if (m.delivered_s)
            (is_before ? before : during).push_back(*m.delivered_s - m.sent_s);
    }
    const auto rounded = [](double x) { return std::round(x * 1000) / 1000; };
    const auto mean = [](const std::vector<double>& delays) {
        double sum = 0;
        for (const double d : delays)
            sum += d;
        return delays.empty() ? 0 : sum / static_cast<double>(delays.size());
    };
    const auto fill = [&](OutageFigures::Window& w, const std::vector<double>& delays) {
        w.delivered = delays.size();
        w.mean_delay_s = rounded(mean(delays));
        if (const auto p99 = percentile(delays, 99))
            w.p99_delay_s = rounded(*p99);
    };
    fill(f.before, before);
    fill(f.during, during);
    f.mean_extra_delay_s = rounded(mean(during) - mean(before));
    return f;
}

nlohmann::ordered_json OutageFigures::to_json() const {
    const auto window = [](const Window& w) {
        return nlohmann::ordered_json{
            {"sent", w.sent},
            {"delivered", w.delivered},
            {"mean_delay_s", w.mean_delay_s},
            {"p99_delay_s", w.p99_delay_s ? nlohmann::ordered_json(*w.p99_delay_s)
                                          : nlohmann::ordered_json(nullptr)}};
    };
    return {{"at_s", at_s},
            {"duration_s", duration_s},
            {"before", window(before)},
            {"during", window(during)},
            {"mean_extra_delay_s", mean_extra_delay_s}};
}

ClientCosts measure_client_costs(const std::vector<const client::Client*>& clients,
                                 std::uint64_t pool_refreshes, double duration_s) {
    ClientCosts costs{.pool_refreshes = pool_refreshes};
    std::uint64_t requests = 0, polls = 0;
    for (const auto* c : clients) {
        costs.bad_replies += c->counters().bad_replies;
        costs.acks_rejected += c->counters().acks_rejected;
        requests += c->counters().requests;
        polls += c->counters().polls;
        costs.paths_built += c->paths().paths_built();
        costs.paths_dropped += c->paths().paths_dropped();
        costs.request_timeouts += c->counters().timeouts;
        costs.wrong_swarm_replies += c->counters().wrong_swarm;
    }
    costs.requests_per_client_hour = per_client_hour(requests, clients.size(), duration_s);
    costs.polls_per_client_hour = per_client_hour(polls, clients.size(), duration_s);
    return costs;
}

double per_client_hour(std::uint64_t n, std::size_t clients, double duration_s) {
    if (clients == 0 || duration_s <= 0)
        return 0.0;
    return std::round(static_cast<double>(n) / static_cast<double>(clients) / (duration_s / 3600) *
                      10) /
           10;
}

nlohmann::ordered_json ClientCosts::to_json() const {
    return {{"paths_built", paths_built},
            {"paths_dropped", paths_dropped},
            {"request_timeouts", request_timeouts},
            {"wrong_swarm_replies", wrong_swarm_replies},
            {"bad_replies", bad_replies},
            {"acks_rejected", acks_rejected},
            {"pool_refreshes", pool_refreshes},
            {"requests_per_client_hour", requests_per_client_hour},
            {"polls_per_client_hour", polls_per_client_hour}};
}

nlohmann::ordered_json client_costs(const std::vector<const client::Client*>& clients,
                                    std::uint64_t pool_refreshes, double duration_s) {
    return measure_client_costs(clients, pool_refreshes, duration_s).to_json();
}

}  // namespace sessionsim::scenario
