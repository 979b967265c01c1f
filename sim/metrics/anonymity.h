// Anonymity metrics over an adversary's posterior (metrics-and-validation.md §1): anonymity set
// size, Shannon entropy and effective set size (Serjantov & Danezis 2002), degree of anonymity
// (Díaz et al. 2002), min-entropy and identification probability (the worst case an average
// hides), and the Crowds posterior that §1.3 uses as a reference.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace sessionsim::metrics {

struct Anonymity {
    std::size_t set_size = 0;     ///< candidates with non-zero probability
    double entropy_bits = 0;      ///< H = -sum p log2 p
    double effective_size = 1;    ///< 2^H
    double degree = 0;            ///< H / log2 N (1: uniform over N; 0: identified)
    double min_entropy_bits = 0;  ///< -log2 max p
    double identification = 1;    ///< max p: the adversary's best single guess is right
};

/// Measures a posterior given as non-negative weights (normalised here). `population` is the N of
/// the degree's log2 N (Díaz et al. normalise over the honest subjects); by default the number of
/// weights. Throws std::invalid_argument for negative, non-finite or all-zero weights.
Anonymity measure(std::span<const double> weights, std::optional<double> population = {});

/// A uniform posterior over `n` candidates, without materialising it (n may be millions).
Anonymity measure_uniform(double n, std::optional<double> population = {});

/// Crowds (Reiter & Rubin): the posterior over the N - C honest members when a collaborator sees
/// predecessor I. Element 0 is I: 1 - p_f (N - C - 1) / N; each other honest member p_f / N.
std::vector<double> crowds_posterior(int members, int collaborators, double p_forward);

/// Base-rate precision of a flow correlator that tests one true pair among n candidates:
/// TPR / (TPR + FPR (n - 1)) (§1.8).
double correlation_precision(double tpr, double fpr, double candidates);

}  // namespace sessionsim::metrics
