// Monte Carlo against closed forms: each check prints "measured vs expected ± interval" so the
// test log doubles as the validation report, then asserts the expected value lies inside.
// Intervals are 99.9% (z = 3.29): a suite of a few dozen such checks then fails by chance
// about once in thirty runs of fresh seeds, and never for a fixed seed that passed.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace sessionsim::test {

inline constexpr double kZ = 3.29;  ///< two-sided 99.9%

/// Passes when |measured - expected| <= half_width (a 99.9% interval unless said otherwise).
inline void expect_within(const std::string& what, double measured, double expected,
                          double half_width) {
    std::printf("[validation] %s: measured %.6g, expected %.6g, interval +/- %.3g\n", what.c_str(),
                measured, expected, half_width);
    EXPECT_LE(std::fabs(measured - expected), half_width) << what;
}

/// The 99.9% half-width of a proportion estimated from n trials (normal approximation).
inline double proportion_half_width(double p, double n) {
    return kZ * std::sqrt(p * (1 - p) / n);
}

}  // namespace sessionsim::test
