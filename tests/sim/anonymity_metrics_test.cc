// Anonymity metrics on fixed posteriors against the closed forms of metrics-and-validation.md
// §1.2-1.4 (V1), the Crowds table of §1.3 (V2), and correlator precision of §1.8 (V10).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/metrics/anonymity.h"
#include "tests/support/validation.h"

// These are exact checks: the metric code evaluated on fixed posteriors, against the reference's
// tabulated values; each tolerance is half a unit in the table's last printed digit (or
// floating-point error where the value is exact), so any larger error fails.

namespace sessionsim::metrics {
namespace {

/// One suspect with probability `p`, the rest uniform over n - 1.
std::vector<double> one_suspect(double p, int n) {
    std::vector<double> w(static_cast<std::size_t>(n), (1 - p) / (n - 1));
    w[0] = p;
    return w;
}

TEST(AnonymityMetrics, EntropyTargets) {  // V1
    const auto uniform = measure(std::vector<double>(1000, 1.0));
    test::expect_exact("V1 uniform over 1000: entropy, bits", uniform.entropy_bits, std::log2(1000),
                       1e-12);
    test::expect_exact("V1 uniform over 1000: degree", uniform.degree, 1, 1e-12);
    test::expect_exact("V1 uniform over 1000: effective set size", uniform.effective_size, 1000,
                       1e-9);
    EXPECT_EQ(uniform.set_size, 1000u);

    const auto point = measure(std::vector<double>{0, 0, 5, 0});
    EXPECT_EQ(point.entropy_bits, 0);
    EXPECT_EQ(point.degree, 0);
    EXPECT_EQ(point.identification, 1);
    EXPECT_EQ(point.set_size, 1u);

    test::expect_exact("V1 two equally likely: entropy, bits",
                       measure(std::vector<double>{1, 1}).entropy_bits, 1, 1e-12);

    const auto ten = measure(one_suspect(0.5, 10));
    test::expect_exact("V1 one suspect at 0.5, 9 others: entropy, bits", ten.entropy_bits, 2.585,
                       5e-4);
    test::expect_exact("V1 one suspect at 0.5, 9 others: effective set size", ten.effective_size,
                       6.000, 5e-4);
    const auto hundred = measure(one_suspect(0.5, 100));
    test::expect_exact("V1 one suspect at 0.5, 99 others: entropy, bits", hundred.entropy_bits,
                       4.3147, 5e-5);
    test::expect_exact("V1 one suspect at 0.5, 99 others: effective set size",
                       hundred.effective_size, 19.90, 5e-3);
    const auto thousand = measure(one_suspect(0.9, 1000));
    test::expect_exact("V1 one suspect at 0.9, 999 others: entropy, bits", thousand.entropy_bits,
                       1.4654, 5e-5);
    test::expect_exact("V1 one suspect at 0.9, 999 others: effective set size",
                       thousand.effective_size, 2.761, 5e-4);
}

TEST(AnonymityMetrics, MinEntropyShowsTheDominantSuspectEntropyHides) {  // §1.4
    const auto a = measure(one_suspect(0.9, 1000));
    test::expect_exact("one suspect at 0.9, 999 others: min-entropy, bits", a.min_entropy_bits,
                       0.152, 5e-4);
    test::expect_exact("one suspect at 0.9, 999 others: identification probability",
                       a.identification, 0.9, 1e-12);
    EXPECT_LE(a.min_entropy_bits, a.entropy_bits);
}

TEST(AnonymityMetrics, UniformWithoutMaterialisingIt) {
    const auto u = measure_uniform(1e6 / 285, 1e6);  // §1.3: a malicious exit reveals the swarm
    test::expect_exact("recipient known up to its swarm (U/S = 10^6/285): entropy, bits",
                       u.entropy_bits, 11.78, 5e-3);
    test::expect_exact("recipient known up to its swarm (U/S = 10^6/285): degree", u.degree, 0.591,
                       5e-4);
    EXPECT_THROW(measure_uniform(0), std::invalid_argument);
}

struct CrowdsRow {
    int n, c;
    double pf, p_initiator, entropy, degree, effective;
};

TEST(AnonymityMetrics, CrowdsTable) {  // V2
    for (const auto& r : {CrowdsRow{100, 10, 0.75, 0.3325, 5.2400, 0.8072, 37.79},
                          CrowdsRow{100, 1, 0.75, 0.2650, 5.6960, 0.8592, 51.84},
                          CrowdsRow{20, 5, 0.50, 0.6500, 2.2666, 0.5802, 4.81},
                          CrowdsRow{1000, 100, 0.75, 0.3257, 7.5264, 0.7669, 184.36}}) {
        const auto posterior = crowds_posterior(r.n, r.c, r.pf);
        test::expect_exact("V2 Crowds N=" + std::to_string(r.n) + " C=" + std::to_string(r.c) +
                               ": P(predecessor is the initiator)",
                           posterior[0], r.p_initiator, 5e-5);
        const auto a = measure(posterior, r.n - r.c);  // normalised over the honest members
        test::expect_exact(
            "V2 Crowds N=" + std::to_string(r.n) + " C=" + std::to_string(r.c) + ": entropy, bits",
            a.entropy_bits, r.entropy, 5e-5);
        test::expect_exact(
            "V2 Crowds N=" + std::to_string(r.n) + " C=" + std::to_string(r.c) + ": degree",
            a.degree, r.degree, 5e-5);
        test::expect_exact("V2 Crowds N=" + std::to_string(r.n) + " C=" + std::to_string(r.c) +
                               ": effective set size",
                           a.effective_size, r.effective, 5e-3);
    }
}

TEST(AnonymityMetrics, CorrelatorPrecisionAtItsBaseRate) {  // V10
    test::expect_exact("V10 correlator precision, TPR 0.96, FPR 1e-3, 1,000 candidates",
                       correlation_precision(0.96, 1e-3, 1000), 0.490, 5e-4);
    test::expect_exact("V10 correlator precision, TPR 0.96, FPR 1e-3, 100,000 candidates",
                       correlation_precision(0.96, 1e-3, 100000), 0.0095, 5e-5);
    test::expect_exact("V10 correlator precision, TPR 0.93, FPR 1e-5, 100,000 candidates",
                       correlation_precision(0.93, 1e-5, 100000), 0.482, 5e-4);
}

TEST(AnonymityMetrics, BadPosteriorsAreRejected) {
    EXPECT_THROW(measure(std::vector<double>{}), std::invalid_argument);
    EXPECT_THROW(measure(std::vector<double>{0, 0}), std::invalid_argument);
    EXPECT_THROW(measure(std::vector<double>{0.5, -0.1}), std::invalid_argument);
    EXPECT_THROW(measure(std::vector<double>{NAN}), std::invalid_argument);
    EXPECT_THROW(crowds_posterior(10, 10, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim::metrics
