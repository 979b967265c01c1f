// Validation checks: the simulator's measured value against an independent closed form. Each
// check prints one "[validation]" line (scripts/validation-report.py turns the test log into
// docs/validation.md) and fails when |measured - expected| is outside its interval.
//
// Two kinds:
//  - expect_estimate: a Monte Carlo estimate from n independent trials with standard error se
//    (from the closed form where there is one, else from the sample). The interval is kZ * se
//    (+ a stated allowance for a known, bounded model granularity). The line carries n and se,
//    so the report can state each check's power: the smallest bias b the check detects with
//    probability 0.9 is W + kZPower * se (P(|M - E| > W) >= Phi((b - W) / se) = 0.9).
//  - expect_exact: a deterministic value (no sampling: a formula evaluated by the code under
//    test, or a scenario without randomness); the tolerance is rounding or numerical error
//    only, so any bias beyond it fails.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace sessionsim::test {

/// Two-sided z of every Monte Carlo interval: a false alarm per check of 6.3e-5, so a page of
/// a hundred checks fails by chance less than once in 150 runs of fresh seeds (and never at the
/// fixed seeds once it has passed).
inline constexpr double kZ = 4.0;
/// The one-sided 90% normal quantile: a bias of W + kZPower * se is caught 9 times in 10.
inline constexpr double kZPower = 1.2816;

/// The mutation check of the checks themselves: SESSIONSIM_VALIDATION_BIAS=1.1 multiplies every
/// measured value by 1.1 (a simulator 10% off) before it is judged, so a run shows which checks
/// would catch such a bias; the report's "detectable bias" column predicts which. Unset: 1.
inline double injected_bias() {
    const char* bias = std::getenv("SESSIONSIM_VALIDATION_BIAS");
    return bias ? std::atof(bias) : 1.0;
}

/// A Monte Carlo estimate from `n` independent trials with standard error `standard_error`.
/// Passes when |measured - expected| <= kZ * standard_error + allowance; `allowance` is for a
/// bounded granularity of the model the closed form leaves out (say why where it is used).
inline void expect_estimate(const std::string& what, double measured, double expected,
                            double standard_error, double n, double allowance = 0) {
    measured *= injected_bias();
    const double half_width = kZ * standard_error + allowance;
    std::printf(
        "[validation] %s: measured %.6g, expected %.6g, interval +/- %.3g, n %.0f, "
        "standard error %.3g\n",
        what.c_str(), measured, expected, half_width, n, standard_error);
    EXPECT_LE(std::fabs(measured - expected), half_width)
        << what << " (n " << n << ", standard error " << standard_error << ")";
}

/// A deterministic value: passes when |measured - expected| <= tolerance (rounding only).
inline void expect_exact(const std::string& what, double measured, double expected,
                         double tolerance) {
    measured *= injected_bias();
    std::printf("[validation] %s: measured %.6g, expected %.6g, interval +/- %.3g, exact\n",
                what.c_str(), measured, expected, tolerance);
    EXPECT_LE(std::fabs(measured - expected), tolerance) << what;
}

/// The standard error of a proportion p estimated from n independent trials.
inline double proportion_standard_error(double p, double n) {
    return std::sqrt(p * (1 - p) / n);
}

/// The standard error of a mean of n independent values with standard deviation sd.
inline double mean_standard_error(double sd, double n) {
    return sd / std::sqrt(n);
}

/// Older form, kept for tests not yet converted: a check with a bare interval (the report
/// cannot state its power, as it has no sample size).
inline void expect_within(const std::string& what, double measured, double expected,
                          double half_width) {
    std::printf("[validation] %s: measured %.6g, expected %.6g, interval +/- %.3g\n", what.c_str(),
                measured, expected, half_width);
    EXPECT_LE(std::fabs(measured - expected), half_width) << what;
}

/// The kZ half-width of a proportion estimated from n trials (normal approximation).
inline double proportion_half_width(double p, double n) {
    return kZ * proportion_standard_error(p, n);
}

}  // namespace sessionsim::test
