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

using test::expect_within;

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
        double k, lambda, mean, median;
    };
    for (const Fit& f :
         {Fit{"Debian", 0.38, 42.4, 163.4, 16.16}, Fit{"Red Hat", 0.34, 21.3, 118.8, 7.25},
          Fit{"FlatOut", 0.59, 41.9, 64.5, 22.51}}) {
        const Lifetime law(Weibull{f.k, f.lambda});
        EXPECT_NEAR(law.mean(), f.mean, 0.1) << f.name;
        EXPECT_NEAR(law.median(), f.median, 0.01) << f.name;
        constexpr std::size_t n = 400'000;
        const auto x = draw(law, n, f.name);
        const auto m = moments(x);
        expect_within(std::string("V11 Weibull ") + f.name + " mean", m.mean, f.mean,
                      test::kZ * m.sd / std::sqrt(double(n)) + 0.05);
        const double below = static_cast<double>(std::count_if(
                                 x.begin(), x.end(), [&](double v) { return v <= f.median; })) /
                             n;
        expect_within(std::string("V11 Weibull ") + f.name + " P(T <= median)", below, 0.5,
                      test::proportion_half_width(0.5, n));
        const double tail = static_cast<double>(std::count_if(
                                x.begin(), x.end(), [&](double v) { return v > 10 * f.lambda; })) /
                            n;
        const double tail_expected = std::exp(-std::pow(10.0, f.k));
        expect_within(std::string("V11 Weibull ") + f.name + " P(T > 10 lambda)", tail,
                      tail_expected, test::proportion_half_width(tail_expected, n));
    }
}

double mean_residual(const std::vector<double>& x, double age) {
    double sum = 0;
    std::size_t count = 0;
    for (const double v : x) {
        if (v > age) {
            sum += v - age;
            ++count;
        }
    }
    return sum / static_cast<double>(count);
}

TEST(Lifetimes, ExponentialIsMemorylessWeibullResidualLifeGrows) {
    const auto e = draw(Lifetime(Exponential{100}), 400'000, "exp");
    const double r0 = mean_residual(e, 0), r100 = mean_residual(e, 100);
    // At age 100 about e^-1 of the sample is left: the interval widens accordingly.
    expect_within("exponential mean residual life at age 100 vs age 0", r100, r0,
                  test::kZ * 100 * (1 / std::sqrt(400'000 * std::exp(-1.0)) + 1 / std::sqrt(4e5)));
    const auto w = draw(Lifetime(Weibull{0.38, 42.4}), 400'000, "weibull");
    EXPECT_GT(mean_residual(w, 16.16), 1.5 * mean_residual(w, 0));
    EXPECT_GT(mean_residual(w, 100), mean_residual(w, 16.16));
}

TEST(OnOff, FractionOfTimeDownIsDownOverCycle) {
    crypto::SeededRandom random(3, "on-off");
    const Lifetime up(Weibull{0.5, 3000}), down(Exponential{1000});  // up mean 6000 s
    const double horizon = 100'000;
    const auto outages = normalize(on_off_outages(400, up, down, horizon, random));
    double down_time = 0;
    for (const auto& o : outages)
        down_time += std::min(o.up_s, horizon) - o.down_s;
    const double fraction = down_time / (400 * horizon);
    expect_within("ON/OFF stationary fraction down", fraction, 1000.0 / 7000, 0.01);
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
