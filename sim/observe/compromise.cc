#include "sim/observe/compromise.h"

#include <map>
#include <numeric>
#include <span>
#include <stdexcept>

namespace sessionsim::observe {

std::vector<bool> compromise(const std::vector<net::PlacedHost>& hosts, std::size_t count,
                             CompromiseStrategy strategy, crypto::RandomSource& random,
                             const std::string& provider) {
    std::vector<bool> bad(hosts.size(), false);
    count = std::min(count, hosts.size());
    if (strategy == CompromiseStrategy::packed_subnets) {
        std::map<std::uint32_t, std::vector<std::size_t>> by_subnet;
        for (std::size_t i = 0; i < hosts.size(); ++i)
            by_subnet[hosts[i].subnet24()].push_back(i);
        std::vector<const std::vector<std::size_t>*> subnets;
        for (const auto& [subnet, members] : by_subnet)
            subnets.push_back(&members);
        random.shuffle(std::span(subnets));
        std::size_t taken = 0;
        for (const auto* members : subnets) {
            for (const auto i : *members) {
                if (taken == count)
                    return bad;
                bad[i] = true;
                ++taken;
            }
        }
        return bad;
    }
    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (strategy != CompromiseStrategy::one_provider || hosts[i].provider == provider)
            pool.push_back(i);
    }
    if (pool.size() < count)
        throw std::invalid_argument("provider '" + provider + "' runs " +
                                    std::to_string(pool.size()) + " nodes, fewer than " +
                                    std::to_string(count));
    const auto n = random.sample_to_front(std::span(pool), count);
    for (std::size_t k = 0; k < n; ++k)
        bad[pool[k]] = true;
    return bad;
}

PathExposure exposure(const client::Path& path, const crypto::Ed25519PublicKey& destination,
                      const IsMalicious& malicious) {
    PathExposure e;
    for (const auto& hop : path)
        e.malicious_hops += malicious(hop.ed25519) ? 1 : 0;
    e.guard = !path.empty() && malicious(path.front().ed25519);
    e.destination = malicious(destination);
    return e;
}

}  // namespace sessionsim::observe
