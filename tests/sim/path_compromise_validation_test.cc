// Path compromise at N = 2,000 through the client's real path selection (PathManager: two pinned
// guards, relays in distinct /24s, the destination never on its own path) and the registry's
// swarms, against metrics-and-validation.md §1.6-1.7: P(guard and destination malicious) (V5),
// a swarm with a malicious member (V6), the guard plateau against fresh paths (V7, V9), and
// Sybils packed into one /24 (V8).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "models/client/path_manager.h"
#include "sim/observe/compromise.h"
#include "tests/support/session_network.h"
#include "tests/support/validation.h"

namespace sessionsim {
namespace {

constexpr std::size_t kNodes = 2000;

const test::SessionNetwork& network() {
    static const auto net = test::build_session_network(kNodes, 21);
    return net;
}

/// A random swarm member: where a store or retrieve for a random account goes.
std::size_t random_destination(const test::SessionNetwork& net, crypto::RandomSource& random) {
    const auto& swarm = net.swarms[random.uniform(net.swarms.size())];
    return swarm[random.uniform(swarm.size())];
}

observe::IsMalicious lookup(const test::SessionNetwork& net, const std::vector<bool>& bad) {
    return [&net, &bad](const crypto::Ed25519PublicKey& k) { return bad[net.index.at(k)]; };
}

/// m(m-1)...(m-k+1) / N(N-1)...(N-k+1): k distinct nodes all malicious.
double all_malicious(double m, double n, int k) {
    double p = 1;
    for (int i = 0; i < k; ++i)
        p *= (m - i) / (n - i);
    return p;
}

/// Mean and its standard error over users, each contributing the fraction of its messages that
/// were exposed (messages of one user share its guards, so users are the independent trials).
std::pair<double, double> mean_and_standard_error(const std::vector<double>& per_user) {
    const double n = static_cast<double>(per_user.size());
    const double mean = std::accumulate(per_user.begin(), per_user.end(), 0.0) / n;
    double ss = 0;
    for (const double x : per_user)
        ss += (x - mean) * (x - mean);
    return {mean, std::sqrt(ss / (n - 1) / n)};
}

TEST(PathCompromiseValidation, GuardAndDestinationMalicious) {  // V5
    const auto& net = network();
    client::NodePool pool(net.nodes);
    crypto::SeededRandom random(22, "V5");
    for (const double f : {0.01, 0.05, 0.1, 0.2, 1.0 / 3}) {
        const auto m = static_cast<std::size_t>(std::llround(f * kNodes));
        std::vector<double> per_user;
        std::vector<bool> bad;
        for (int user = 0; user < 48'000; ++user) {
            if (user % 500 == 0)  // a fresh adversary every 500 users
                bad =
                    observe::compromise(net.hosts, m, observe::CompromiseStrategy::random, random);
            const auto malicious = lookup(net, bad);
            client::PathManager paths({}, pool);
            int exposed = 0;
            constexpr int kMessages = 20;
            for (int k = 0; k < kMessages; ++k) {
                const auto d = net.nodes[random_destination(net, random)].ed25519;
                const auto path = paths.path_for(d, random);
                ASSERT_TRUE(path);
                exposed += observe::exposure(*path, d, malicious).guard_and_destination();
            }
            per_user.push_back(static_cast<double>(exposed) / kMessages);
        }
        const auto [measured, standard_error] = mean_and_standard_error(per_user);
        test::expect_estimate("V5 P(guard and destination malicious), f = " + std::to_string(f),
                              measured, all_malicious(static_cast<double>(m), kNodes, 2),
                              standard_error, static_cast<double>(per_user.size()));
    }
    // This test's closed form against the reference's table (not a check of the simulator).
    EXPECT_NEAR(all_malicious(200, kNodes, 2), 9.955e-3, 5e-7);
}

TEST(PathCompromiseValidation, SwarmWithAMaliciousMember) {  // V6
    const auto& net = network();
    crypto::SeededRandom random(23, "V6");
    const double m = 200;  // f = 0.1
    double expected = 0, hits = 0, samples = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const auto bad = observe::compromise(net.hosts, static_cast<std::size_t>(m),
                                             observe::CompromiseStrategy::random, random);
        for (const auto& s : net.swarms) {
            const double size = static_cast<double>(s.size());
            expected +=
                1 - std::exp(test::log_choose(kNodes - m, size) - test::log_choose(kNodes, size));
            hits += std::any_of(s.begin(), s.end(), [&](std::size_t i) { return bad[i]; });
            ++samples;
        }
    }
    expected /= samples;
    test::expect_estimate("V6 P(swarm has >= 1 malicious member), f = 0.1 (per real swarm size)",
                          hits / samples, expected,
                          test::proportion_standard_error(expected, samples), samples);
    // This test's closed form against the reference's table (not a check of the simulator).
    EXPECT_NEAR(1 - std::exp(test::log_choose(kNodes - m, 7) - test::log_choose(kNodes, 7)), 0.5223,
                5e-4);
}

/// Users sending `messages` each: the fraction ever exposed (guard and destination malicious),
/// with pinned guards (Session) or a fresh path per message.
double ever_exposed(bool fresh_paths, double f, int users, int messages,
                    crypto::RandomSource& random) {
    const auto& net = network();
    client::NodePool pool(net.nodes);
    const auto m = static_cast<std::size_t>(std::llround(f * kNodes));
    std::vector<bool> bad;
    int exposed_users = 0;
    for (int user = 0; user < users; ++user) {
        if (user % 250 == 0)
            bad = observe::compromise(net.hosts, m, observe::CompromiseStrategy::random, random);
        const auto malicious = lookup(net, bad);
        client::PathManager pinned({}, pool);
        bool exposed = false;
        for (int k = 0; k < messages && !exposed; ++k) {
            const auto d = net.nodes[random_destination(net, random)].ed25519;
            std::optional<client::Path> path;
            if (fresh_paths) {
                client::PathManager fresh({}, pool);
                path = fresh.path_for(d, random);
            } else {
                path = pinned.path_for(d, random);
            }
            exposed = observe::exposure(*path, d, malicious).guard_and_destination();
        }
        exposed_users += exposed;
    }
    return static_cast<double>(exposed_users) / users;
}

TEST(PathCompromiseValidation, PinnedGuardsPlateauFreshPathsConverge) {  // V7, V9
    crypto::SeededRandom random(24, "V7");
    const double f = 0.1;
    // Pinned guards: exposure needs a malicious guard, so it stops at 1 - (1 - f)^2 however
    // many messages are sent (0.1889 after 100, 0.1900 in the limit; after 400 a user with a
    // malicious guard is still unexposed with probability below (1 - f / 2)^400 ~ 1e-9).
    const int users = 16'000;
    const double plateau = ever_exposed(false, f, users, 400, random);
    const double plateau_expected = 1 - (1 - f) * (1 - f);
    test::expect_estimate("V7 pinned guards, f = 0.1, 400 messages: P(ever exposed)", plateau,
                          plateau_expected,
                          test::proportion_standard_error(plateau_expected, users), users);
    // Fresh paths: every message is a new chance, 1 - (1 - P(G and D))^C (V9 in message counts).
    const double p = all_malicious(200, kNodes, 2);
    for (const int c : {30, 69}) {
        const double expected = 1 - std::pow(1 - p, c);
        test::expect_estimate(
            "V9 fresh paths, f = 0.1: P(exposed within " + std::to_string(c) + " messages)",
            ever_exposed(true, f, 6000, c, random), expected,
            test::proportion_standard_error(expected, 6000), 6000);
    }
    // The same number of messages exposes far more users with fresh paths than with guards.
    EXPECT_GT(1 - std::pow(1 - p, 400), plateau + 0.7);
}

TEST(PathCompromiseValidation, SybilsInOneSubnetHoldAtMostOneHop) {  // V8
    // 200 Sybils registered in one /24 join 1,800 honest nodes.
    auto net = test::build_session_network(1800, 25);
    const std::size_t sybils = 200;
    crypto::SeededRandom random(26, "V8");
    for (std::size_t i = 0; i < sybils; ++i) {
        client::NodeInfo n;
        random.fill(n.ed25519);
        random.fill(n.x25519);
        n.ipv4 = 0xc6336400 + static_cast<std::uint32_t>(i);  // 198.51.100.0/24
        net.index[n.ed25519] = net.nodes.size();
        net.nodes.push_back(n);
    }
    std::vector<bool> bad(net.nodes.size(), false);
    std::fill(bad.end() - static_cast<long>(sybils), bad.end(), true);
    const auto malicious = lookup(net, bad);
    client::NodePool pool(net.nodes);
    int two_or_more = 0, guard_and_destination = 0;
    constexpr int kTrials = 240'000;
    for (int t = 0; t < kTrials; ++t) {
        client::PathManager paths({}, pool);
        // Destinations uniform over all nodes: the Sybils would hold that share of swarm slots.
        const auto d = net.nodes[random.uniform(net.nodes.size())].ed25519;
        const auto e = observe::exposure(*paths.path_for(d, random), d, malicious);
        two_or_more += e.malicious_hops >= 2;
        guard_and_destination += e.guard_and_destination();
    }
    EXPECT_EQ(two_or_more, 0) << "a path held two nodes of one /24";
    // Hops are drawn over nodes, not /24s, so the guard is a Sybil with probability 200/2000, as
    // for any adversary of that size; only the hops after it are kept out of its /24.
    const double expected = all_malicious(200, 2000, 2);
    test::expect_estimate("V8 Sybils in one /24: P(guard and destination malicious)",
                          static_cast<double>(guard_and_destination) / kTrials, expected,
                          test::proportion_standard_error(expected, kTrials), kTrials);
}

}  // namespace
}  // namespace sessionsim
