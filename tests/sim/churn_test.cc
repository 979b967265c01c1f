// Churn generators against their closed forms (metrics-and-validation.md §3.1, V11).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "sim/churn/outages.h"
#include "tests/support/validation.h"

namespace sessionsim::churn {
namespace {

using test::expect_estimate;

struct Moments {
    double mean = 0, sd = 0;
};
Moments moments(const std::vector<double>& x) {
    Moments m;
    m.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    double ss = 0;
    for (const double v : x)
        ss += (v - m.mean) * (v - m.mean);
    m.sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
    return m;
}

std::vector<double> draw(const Lifetime& law, std::size_t n, const char* label) {
    crypto::SeededRandom random(7, label);
    std::vector<double> x(n);
    for (auto& v : x)
        v = law.sample(random);
    return x;
}

TEST(Weibull, PublishedFitsHaveTheirMeanAndMedian) {  // V11
    struct Fit {
        const char* name;
        double k, lambda, mean, median;  // mean and median as published (rounded)
    };
    for (const Fit& f :
         {Fit{"Debian", 0.38, 42.4, 163.4, 16.16}, Fit{"Red Hat", 0.34, 21.3, 118.8, 7.25},
          Fit{"FlatOut", 0.59, 41.9, 64.5, 22.51}}) {
        const Lifetime law(Weibull{f.k, f.lambda});
        // The closed forms, from k and lambda alone: mean lambda Gamma(1 + 1/k), variance
        // lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2), median lambda (ln 2)^(1/k).
        const double mean = f.lambda * std::tgamma(1 + 1 / f.k);
        const double sd =
            f.lambda * std::sqrt(std::tgamma(1 + 2 / f.k) - std::pow(mean / f.lambda, 2));
        const double median = f.lambda * std::pow(std::log(2.0), 1 / f.k);
        EXPECT_NEAR(mean, f.mean, 0.1) << f.name << ": the closed form gives the published mean";
        EXPECT_NEAR(median, f.median, 0.01) << f.name;
        EXPECT_NEAR(law.mean(), mean, 1e-9 * mean) << f.name;
        EXPECT_NEAR(law.median(), median, 1e-9 * median) << f.name;
        constexpr double n = 2'000'000;
        const auto x = draw(law, static_cast<std::size_t>(n), f.name);
        const auto m = moments(x);
        expect_estimate(std::string("V11 Weibull ") + f.name + " mean", m.mean, mean,
                        test::mean_standard_error(sd, n), n);
        const double below = static_cast<double>(std::count_if(
                                 x.begin(), x.end(), [&](double v) { return v <= median; })) /
                             n;
        expect_estimate(std::string("V11 Weibull ") + f.name + " P(T <= median)", below, 0.5,
                        test::proportion_standard_error(0.5, n), n);
        const double tail = static_cast<double>(std::count_if(
                                x.begin(), x.end(), [&](double v) { return v > 10 * f.lambda; })) /
                            n;
        const double tail_expected = std::exp(-std::pow(10.0, f.k));
        expect_estimate(std::string("V11 Weibull ") + f.name + " P(T > 10 lambda)", tail,
                        tail_expected, test::proportion_standard_error(tail_expected, n), n);
    }
}

/// The mean of T - age over the draws T > age, and how many there were.
std::pair<double, double> mean_residual(const std::vector<double>& x, double age) {
    double sum = 0, count = 0;
    for (const double v : x) {
        if (v > age) {
            sum += v - age;
            ++count;
        }
    }
    return {sum / count, count};
}

TEST(Lifetimes, ExponentialIsMemorylessWeibullResidualLifeGrows) {
    // Memoryless: the residual life beyond any age is again exponential with the same mean
    // (100) and standard deviation (100), estimated from the draws that lived that long.
    const auto e = draw(Lifetime(Exponential{100}), 400'000, "exp");
    for (const double age : {0.0, 100.0}) {
        const auto [residual, survivors] = mean_residual(e, age);
        expect_estimate("exponential, mean 100: mean residual life at age " +
                            std::to_string(static_cast<int>(age)),
                        residual, 100, test::mean_standard_error(100, survivors), survivors);
    }
    // Weibull with k < 1: the longer a node has lived, the longer it is expected to live on.
    const auto w = draw(Lifetime(Weibull{0.38, 42.4}), 400'000, "weibull");
    EXPECT_GT(mean_residual(w, 16.16).first, 1.5 * mean_residual(w, 0).first);
    EXPECT_GT(mean_residual(w, 100).first, mean_residual(w, 16.16).first);
}

TEST(OnOff, FractionOfTimeDownIsDownOverCycle) {
    // Each node alternates up (Weibull, mean 6000 s) and down (exponential, mean 1000 s) from a
    // burn-in, so at any time it is down with probability 1000 / 7000. The nodes are
    // independent: the standard error is that of the mean of their fractions of time down.
    crypto::SeededRandom random(3, "on-off");
    const Lifetime up(Weibull{0.5, 3000}), down(Exponential{1000});
    const double horizon = 100'000;
    constexpr std::size_t kNodes = 40'000;
    std::vector<double> fraction(kNodes, 0);
    for (const auto& o : normalize(on_off_outages(kNodes, up, down, horizon, random)))
        fraction[o.node] += (std::min(o.up_s, horizon) - o.down_s) / horizon;
    const auto m = moments(fraction);
    expect_estimate("ON/OFF stationary fraction down", m.mean, 1000.0 / 7000,
                    test::mean_standard_error(m.sd, kNodes), kNodes);
}

TEST(Outages, GroupOutageTakesTheFractionOfTheGroupOnly) {
    crypto::SeededRandom random(4, "group");
    std::vector<std::string> provider(1000, "small");
    for (std::size_t i = 0; i < 1000; i += 4)
        provider[i] = "big";
    const auto out = group_outage(provider, "big", 0.3, 600, 7200, random);
    ASSERT_EQ(out.size(), 75u);
    for (const auto& o : out) {
        EXPECT_EQ(provider[o.node], "big");
        EXPECT_EQ(o.down_s, 600);
        EXPECT_EQ(o.up_s, 7800);
    }
    auto nodes = std::vector<std::size_t>();
    for (const auto& o : out)
        nodes.push_back(o.node);
    std::sort(nodes.begin(), nodes.end());
    EXPECT_EQ(std::unique(nodes.begin(), nodes.end()), nodes.end());
}

TEST(Outages, NormalizeMergesOverlapsAndOrdersByStart) {
    const auto merged = normalize({{2, 50, 80, "churn"},
                                   {1, 10, 20, "churn"},
                                   {1, 15, 40, "outage"},
                                   {1, 40, 45, "churn"},
                                   {3, 5, kNever, "exit"}});
    ASSERT_EQ(merged.size(), 3u);
    EXPECT_EQ(merged[0].node, 3u);
    EXPECT_EQ(merged[1].node, 1u);
    EXPECT_EQ(merged[1].up_s, 45);
    EXPECT_EQ(merged[1].cause, "churn+outage");
    EXPECT_EQ(merged[2].node, 2u);
}

TEST(Outages, TraceFileErrorsNameFileAndLine) {
    const std::string path = ::testing::TempDir() + "/trace.csv";
    std::ofstream(path) << "node,down_s,up_s\n0,10,20\n1,5,\n";
    const auto ok = trace_outages(path, 2);
    ASSERT_EQ(ok.size(), 2u);
    EXPECT_EQ(ok[1].up_s, kNever);
    std::ofstream(path) << "node,down_s,up_s\n0,10,20\n7,5,9\n";
    try {
        trace_outages(path, 2);
        FAIL() << "node 7 accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("trace.csv: line 3"), std::string::npos) << e.what();
    }
    std::ofstream(path) << "node,down_s,up_s\n0,30,20\n";
    EXPECT_THROW(trace_outages(path, 2), std::runtime_error);
}

}  // namespace
}  // namespace sessionsim::churn
