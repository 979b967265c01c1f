#include "sim/metrics/anonymity.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sessionsim::metrics {

namespace {

double degree_of(double entropy, double population) {
    return population > 1 ? entropy / std::log2(population) : 0.0;
}

}  // namespace

Anonymity measure(std::span<const double> weights, std::optional<double> population) {
    double total = 0;
    for (const double w : weights) {
        if (!(w >= 0) || !std::isfinite(w))
            throw std::invalid_argument("posterior weight " + std::to_string(w) +
                                        " is not a finite non-negative number");
        total += w;
    }
    if (total <= 0)
        throw std::invalid_argument("posterior has no weight");
    Anonymity a;
    double top = 0;
    for (const double w : weights) {
        if (w <= 0)
            continue;
        const double p = w / total;
        ++a.set_size;
        a.entropy_bits -= p * std::log2(p);
        top = std::max(top, p);
    }
    a.entropy_bits = std::max(0.0, a.entropy_bits);  // -0 and rounding below zero
    a.effective_size = std::exp2(a.entropy_bits);
    a.degree = degree_of(a.entropy_bits, population.value_or(static_cast<double>(weights.size())));
    a.identification = top;
    a.min_entropy_bits = std::max(0.0, -std::log2(top));
    return a;
}

Anonymity measure_uniform(double n, std::optional<double> population) {
    if (!(n >= 1) || !std::isfinite(n))
        throw std::invalid_argument("a uniform posterior needs at least one candidate");
    Anonymity a;
    a.set_size = static_cast<std::size_t>(n);
    a.entropy_bits = std::log2(n);
    a.effective_size = n;
    a.degree = degree_of(a.entropy_bits, population.value_or(n));
    a.identification = 1 / n;
    a.min_entropy_bits = a.entropy_bits;
    return a;
}

std::vector<double> crowds_posterior(int members, int collaborators, double p_forward) {
    if (members < 2 || collaborators < 1 || collaborators >= members || !(p_forward >= 0) ||
        p_forward >= 1)
        throw std::invalid_argument("Crowds needs N >= 2, 1 <= C < N and 0 <= p_f < 1");
    const double n = members;
    const int others = members - collaborators - 1;
    std::vector<double> p(static_cast<std::size_t>(others) + 1, p_forward / n);
    p[0] = 1 - p_forward * others / n;
    return p;
}

double correlation_precision(double tpr, double fpr, double candidates) {
    const double denominator = tpr + fpr * (candidates - 1);
    return denominator > 0 ? tpr / denominator : 0.0;
}

}  // namespace sessionsim::metrics
