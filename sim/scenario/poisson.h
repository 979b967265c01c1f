// The arrival times of a Poisson process, as every workload draws them: exponential gaps by
// inversion (-mean * ln(1 - u)) from one random stream. One definition, because the order of
// the draws is part of the results: a workload that draws in between two gaps (which member
// posts, which node a probe goes to) does so inside `at`, after the gap before it and before
// the gap after it.
#pragma once

#include <cmath>

#include "models/crypto/random.h"

namespace sessionsim::scenario {

/// An exponential draw of mean `mean`.
inline double exponential(crypto::RandomSource& random, double mean) {
    return -mean * std::log(1 - random.unit());
}

/// Calls `at(t)` for each arrival of a Poisson process with mean gap `mean_gap_s`, the first one
/// gap after `start_s`, while t < `until_s`.
template <typename At>
void poisson_arrivals(crypto::RandomSource& random, double start_s, double mean_gap_s,
                      double until_s, At&& at) {
    for (double t = start_s + exponential(random, mean_gap_s); t < until_s;
         t += exponential(random, mean_gap_s))
        at(t);
}

}  // namespace sessionsim::scenario
