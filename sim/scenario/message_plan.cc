#include "sim/scenario/message_plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "sim/scenario/poisson.h"

namespace sessionsim::scenario {

std::vector<std::vector<std::size_t>> draw_members(const Scenario& sc, const std::string& key,
                                                   std::size_t count, std::size_t size,
                                                   const std::vector<bool>& offline,
                                                   crypto::RandomSource& random) {
    std::vector<std::size_t> online;
    for (std::size_t c = 0; c < offline.size(); ++c) {
        if (!offline[c])
            online.push_back(c);
    }
    if (online.size() < size) {
        throw ScenarioError(sc.source() + ": " + key + " = " + std::to_string(size) + " but only " +
                            std::to_string(online.size()) + " clients are online");
    }
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < count; ++i) {
        auto pool = online;
        random.shuffle(std::span(pool));
        out.emplace_back(pool.begin(), pool.begin() + static_cast<long>(size));
    }
    return out;
}

std::string message_text(std::uint64_t id, std::size_t bytes) {
    std::string t = "m" + std::to_string(id) + ":";
    while (t.size() < bytes)
        t += static_cast<char>('a' + (t.size() * 7 + id) % 26);
    return t;
}

std::optional<std::uint64_t> message_id_of(const std::string& text) {
    if (text.size() < 3 || text[0] != 'm')
        return std::nullopt;
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    try {
        return std::stoull(text.substr(1, colon - 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<bool> offline_clients(const Scenario& sc, std::size_t n_clients, std::uint64_t seed) {
    std::vector<std::size_t> order(n_clients);
    std::iota(order.begin(), order.end(), 0);
    crypto::SeededRandom random(seed, "offline clients");
    const auto count = random.sample_to_front(
        std::span(order),
        static_cast<std::size_t>(
            std::llround(sc.number("workload.offline_fraction") * static_cast<double>(n_clients))));
    std::vector<bool> offline(n_clients, false);
    for (std::size_t i = 0; i < count; ++i)
        offline[order[i]] = true;
    return offline;
}

void plan_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                   crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                   const DiurnalThinning& daily) {
    const std::size_t n_clients = offline.size();
    const double send_until = std::min(sc.number("duration_s"), sc.number("workload.send_until_s"));
    const double warmup = sc.number("warmup_s");
    // A daily rhythm: draw at the peak rate, keep each draw with weight / peak weight.
    const double mean_gap = sc.number("workload.message_interval_s") /
                            (daily ? 1 + sc.number("behaviour.diurnal_amplitude") : 1.0);
    const auto bytes = static_cast<std::size_t>(sc.integer("workload.message_bytes"));
    for (std::size_t c = 0; c < n_clients; ++c) {
        if (offline[c])
            continue;
        poisson_arrivals(random, warmup, mean_gap, send_until, [&](double t) {
            if (daily && !daily(t, random))
                return;
            MessageRecord m;
            m.id = messages.size();
            m.sender = c;
            m.recipient = (c + 1 + random.uniform(n_clients - 1)) % n_clients;
            m.sent_s = t;
            m.bytes = bytes;
            m.hops = hops;
            messages.push_back(std::move(m));
        });
    }
}

}  // namespace sessionsim::scenario
