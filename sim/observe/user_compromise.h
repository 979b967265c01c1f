// Time to first compromise and compromise rate per user (TorPS, Johnson et al. CCS 2013;
// metrics-and-validation.md §1.7): a user's message is compromised when the adversary held both
// the guard its store went through and the node that executed it. Counted over each user's
// stores (its messages: the Session analogue of Tor streams), in time order.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/observe/linkage.h"

namespace sessionsim::observe {

struct UserCompromise {
    std::uint32_t client_ip = 0;
    std::size_t stores = 0;
    std::size_t compromised = 0;
    double first_store_s = 0;
    /// The first compromised store: its position (1 = the user's first) and time.
    std::optional<std::size_t> first_compromised_at;
    std::optional<double> first_compromised_s;
};

/// One entry per client address that made a store, in address order.
std::vector<UserCompromise> user_compromise(const std::vector<TrueRequest>& truth,
                                            const std::vector<bool>& malicious);

/// P(a user is compromised within its first `c` messages) by closed form, for N nodes of which
/// m are malicious (drawn without replacement: guard, then destination):
///  fresh paths: 1 - (1 - p)^c, p = m(m-1)/(N(N-1));
///  g pinned guards used in turn: sum over k malicious guards of Binomial(k; g, m/N) times
///  1 - (1 - (k/g) (m-1)/(N-1))^c, which plateaus at 1 - (1 - m/N)^g instead of reaching 1.
double expected_compromised_fresh(double nodes, double malicious, double c);
double expected_compromised_guards(double nodes, double malicious, int guards, double c);

}  // namespace sessionsim::observe
