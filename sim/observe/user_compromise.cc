#include "sim/observe/user_compromise.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sessionsim::observe {

std::vector<UserCompromise> user_compromise(const std::vector<TrueRequest>& truth,
                                            const std::vector<bool>& malicious) {
    const auto bad = [&](std::size_t n) { return n < malicious.size() && malicious[n]; };
    std::map<std::uint32_t, std::vector<const TrueRequest*>> by_user;
    for (const auto& r : truth) {
        if (r.method == "store")
            by_user[r.client_ip].push_back(&r);
    }
    std::vector<UserCompromise> out;
    for (auto& [ip, stores] : by_user) {
        std::stable_sort(stores.begin(), stores.end(), [](const auto* a, const auto* b) {
            return a->guard_time_s < b->guard_time_s;
        });
        UserCompromise u;
        u.client_ip = ip;
        u.stores = stores.size();
        u.first_store_s = stores.front()->guard_time_s;
        for (std::size_t i = 0; i < stores.size(); ++i) {
            if (!bad(stores[i]->guard) || !bad(stores[i]->destination))
                continue;
            ++u.compromised;
            if (!u.first_compromised_at) {
                u.first_compromised_at = i + 1;
                u.first_compromised_s = stores[i]->guard_time_s;
            }
        }
        out.push_back(u);
    }
    return out;
}

double expected_compromised_fresh(double nodes, double malicious, double c) {
    const double p = malicious * (malicious - 1) / (nodes * (nodes - 1));
    return 1 - std::pow(1 - std::max(p, 0.0), c);
}

double expected_compromised_guards(double nodes, double malicious, int guards, double c) {
    const double f = malicious / nodes;
    const double q = std::max(malicious - 1, 0.0) / (nodes - 1);
    double total = 0;
    for (int k = 1; k <= guards; ++k) {
        const double binomial = std::tgamma(guards + 1) /
                                (std::tgamma(k + 1) * std::tgamma(guards - k + 1)) *
                                std::pow(f, k) * std::pow(1 - f, guards - k);
        total += binomial * (1 - std::pow(1 - q * k / guards, c));
    }
    return total;
}

}  // namespace sessionsim::observe
