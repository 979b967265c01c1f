#include "sim/churn/outages.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/net/csv_table.h"

namespace sessionsim::churn {

std::vector<Outage> on_off_outages(std::size_t nodes, const Lifetime& up, const Lifetime& down,
                                   double horizon_s, crypto::RandomSource& random) {
    std::vector<Outage> out;
    const double burn_in = 10 * (up.mean() + down.mean());
    for (std::size_t n = 0; n < nodes; ++n) {
        for (double t = -burn_in; t < horizon_s;) {
            const double fail = t + up.sample(random);
            const double back = fail + down.sample(random);
            if (back > 0 && fail < horizon_s)
                out.push_back({n, std::max(fail, 0.0), back, "churn"});
            t = back;
        }
    }
    return out;
}

std::vector<Outage> trace_outages(const std::string& path, std::size_t nodes) {
    const auto table = net::load_csv(path);
    const auto node_col = table.column("node");
    const auto down_col = table.column("down_s");
    const auto up_col = table.column("up_s");
    std::vector<Outage> out;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const std::string where = path + ": line " + std::to_string(r + 2) + ": ";
        const double node = net::number_field(table, r, node_col);
        if (node < 0 || node != std::floor(node) || node >= static_cast<double>(nodes))
            throw std::runtime_error(where + "node " + table.rows[r][node_col] +
                                     " is not one of the " + std::to_string(nodes) +
                                     " service nodes (0-based)");
        const double down = net::number_field(table, r, down_col);
        const double up =
            table.rows[r][up_col].empty() ? kNever : net::number_field(table, r, up_col);
        if (down < 0 || !(up > down))
            throw std::runtime_error(where + "needs 0 <= down_s < up_s");
        out.push_back({static_cast<std::size_t>(node), down, up, "trace"});
    }
    return out;
}

std::vector<Outage> group_outage(const std::vector<std::string>& group_of, const std::string& group,
                                 double fraction, double at_s, double for_s,
                                 crypto::RandomSource& random) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < group_of.size(); ++i) {
        if (group.empty() || group_of[i] == group)
            members.push_back(i);
    }
    const auto count = random.sample_to_front(
        std::span(members), static_cast<std::size_t>(std::llround(fraction * members.size())));
    std::vector<Outage> out;
    for (std::size_t k = 0; k < count; ++k)
        out.push_back({members[k], at_s, at_s + for_s, "outage"});
    return out;
}

std::vector<Outage> permanent_exits(std::size_t nodes, double fraction, double horizon_s,
                                    crypto::RandomSource& random) {
    std::vector<std::string> everyone(nodes);
    auto chosen = group_outage(everyone, "", fraction, 0, 0, random);
    for (auto& o : chosen) {
        o.down_s = random.unit() * horizon_s;
        o.up_s = kNever;
        o.cause = "exit";
    }
    return chosen;
}

std::vector<Outage> normalize(std::vector<Outage> outages) {
    std::sort(outages.begin(), outages.end(), [](const Outage& a, const Outage& b) {
        return std::tie(a.node, a.down_s, a.up_s) < std::tie(b.node, b.down_s, b.up_s);
    });
    std::vector<Outage> merged;
    for (auto& o : outages) {
        if (!merged.empty() && merged.back().node == o.node && o.down_s <= merged.back().up_s) {
            auto& last = merged.back();
            last.up_s = std::max(last.up_s, o.up_s);
            if (last.cause.find(o.cause) == std::string::npos)
                last.cause += "+" + o.cause;
        } else {
            merged.push_back(std::move(o));
        }
    }
    std::sort(merged.begin(), merged.end(), [](const Outage& a, const Outage& b) {
        return std::tie(a.down_s, a.node) < std::tie(b.down_s, b.node);
    });
    return merged;
}

}  // namespace sessionsim::churn
