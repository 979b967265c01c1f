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

nlohmann::ordered_json distribution(const std::vector<double>& values) {
    nlohmann::ordered_json j{{"count", values.size()}};
    for (const double p : {50.0, 90.0, 99.0}) {
        const auto v = percentile(values, p);
        j["p" + std::to_string(static_cast<int>(p))] =
            v ? nlohmann::ordered_json(std::round(*v * 1000) / 1000) : nullptr;
    }
    return j;
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
           "swarm_up_at_store\n";
    for (const auto& m : messages) {
        out << m.id << ',' << fixed(m.sent_s, 6) << ',' << (m.stored_s ? fixed(*m.stored_s, 6) : "")
            << ',' << (m.delivered_s ? fixed(*m.delivered_s, 6) : "") << ',' << m.sender << ','
            << m.recipient << ',' << m.bytes << ',' << m.hops << ',' << m.status() << ',' << m.fate
            << ',' << (m.recipient_swarm ? std::to_string(*m.recipient_swarm) : "") << ','
            << m.swarm_up_at_store << '\n';
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

nlohmann::ordered_json summarize(const std::vector<MessageRecord>& messages,
                                 const std::vector<RequestRow>& requests) {
    std::vector<double> rtts, delivery;
    std::map<std::size_t, std::vector<double>> probes;  // hops -> RTTs
    std::size_t ok = 0, timeouts = 0, traffic = 0;
    for (const auto& r : requests) {
        if (r.probe) {
            if (r.status == 200)
                probes[r.hops].push_back((r.end_s - r.start_s) * 1000);
            continue;
        }
        ++traffic;
        if (r.status == 200) {
            ++ok;
            rtts.push_back((r.end_s - r.start_s) * 1000);
        } else if (r.status == 0) {
            ++timeouts;
        }
    }
    std::size_t delivered = 0, stored = 0, failed = 0;
    std::map<std::string, std::size_t> fates, lost_by_reason;
    std::size_t lost = 0;
    for (const auto& m : messages) {
        if (!m.fate.empty()) {
            if (m.fate.rfind("lost: ", 0) == 0) {
                ++lost;
                ++lost_by_reason[m.fate.substr(6)];
            } else {
                ++fates[m.fate];
            }
        }
        if (m.delivered_s) {
            ++delivered;
            delivery.push_back((*m.delivered_s - m.sent_s) * 1000);
        }
        stored += m.stored_s.has_value();
        failed += !m.failure.empty();
    }
    const double ratio =
        messages.empty() ? 0.0
                         : static_cast<double>(delivered) / static_cast<double>(messages.size());
    nlohmann::ordered_json probe_table = nlohmann::ordered_json::object();
    for (const auto& [hops, values] : probes) {
        probe_table[hops == 0 ? std::string("direct") : std::to_string(hops) + "_hops"] =
            distribution(values);
    }
    return {
        {"messages",
         {{"sent", messages.size()},
          {"stored", stored},
          {"delivered", delivered},
          {"failed", failed},
          {"delivery_ratio", std::round(ratio * 1e6) / 1e6}}},
        {"survival",
         {{"delivered", fates["delivered"]},
          {"delivered_late", fates["delivered_late"]},
          {"pending_at_end", fates["pending"]},
          {"awaiting_recipient", fates["awaiting_recipient"]},
          {"lost", lost},
          {"loss_ratio", messages.empty() ? 0.0
                                          : std::round(static_cast<double>(lost) /
                                                       static_cast<double>(messages.size()) * 1e6) /
                                                1e6},
          {"lost_by_reason", lost_by_reason}}},
        {"onion_requests",
         {{"total", traffic},
          {"ok", ok},
          {"timeouts", timeouts},
          {"other_errors", traffic - ok - timeouts}}},
        {"onion_rtt_ms", distribution(rtts)},
        {"delivery_delay_ms", distribution(delivery)},
        {"probe_rtt_ms", probe_table}};
}

nlohmann::ordered_json summarize_outage_window(const std::vector<MessageRecord>& messages,
                                               double at_s, double duration_s) {
    struct Window {
        std::size_t sent = 0;
        std::vector<double> delays_s;
        double mean() const {
            double sum = 0;
            for (const double d : delays_s)
                sum += d;
            return delays_s.empty() ? 0 : sum / static_cast<double>(delays_s.size());
        }
    } before, during;
    for (const auto& m : messages) {
        if (m.sent_s >= at_s + duration_s)
            continue;
        auto& w = m.sent_s < at_s ? before : during;
        ++w.sent;
        if (m.delivered_s)
            w.delays_s.push_back(*m.delivered_s - m.sent_s);
    }
    const auto rounded = [](double x) { return std::round(x * 1000) / 1000; };
    const auto window = [&](const Window& w) {
        nlohmann::ordered_json j{{"sent", w.sent},
                                 {"delivered", w.delays_s.size()},
                                 {"mean_delay_s", rounded(w.mean())}};
        const auto p99 = percentile(w.delays_s, 99);
        j["p99_delay_s"] = p99 ? nlohmann::ordered_json(rounded(*p99)) : nullptr;
        return j;
    };
    return {{"at_s", at_s},
            {"duration_s", duration_s},
            {"before", window(before)},
            {"during", window(during)},
            {"mean_extra_delay_s", rounded(during.mean() - before.mean())}};
}

nlohmann::ordered_json client_costs(const std::vector<const client::Client*>& clients,
                                    std::uint64_t pool_refreshes, double duration_s) {
    std::uint64_t built = 0, dropped = 0, timeouts = 0, wrong_swarm = 0, requests = 0, polls = 0;
    std::uint64_t bad_replies = 0, acks_rejected = 0;
    for (const auto* c : clients) {
        bad_replies += c->counters().bad_replies;
        acks_rejected += c->counters().acks_rejected;
        requests += c->counters().requests;
        polls += c->counters().polls;
        built += c->paths().paths_built();
        dropped += c->paths().paths_dropped();
        timeouts += c->counters().timeouts;
        wrong_swarm += c->counters().wrong_swarm;
    }
    const auto per_client_hour = [&](std::uint64_t n) {
        if (clients.empty() || duration_s <= 0)
            return 0.0;
        return std::round(static_cast<double>(n) / static_cast<double>(clients.size()) /
                          (duration_s / 3600) * 10) /
               10;
    };
    return {{"paths_built", built},
            {"paths_dropped", dropped},
            {"request_timeouts", timeouts},
            {"wrong_swarm_replies", wrong_swarm},
            {"bad_replies", bad_replies},
            {"acks_rejected", acks_rejected},
            {"pool_refreshes", pool_refreshes},
            {"requests_per_client_hour", per_client_hour(requests)},
            {"polls_per_client_hour", per_client_hour(polls)}};
}

}  // namespace sessionsim::scenario
