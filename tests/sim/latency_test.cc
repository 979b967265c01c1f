// Latency models: the measured data reproduces the figures shared/data/README.md states, gaps are
// filled by shortest paths, and bad inputs name the file and reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/net/country_codes.h"
#include "sim/net/csv_table.h"
#include "sim/net/latency_model.h"
#include "tests/support/scratch.h"
#include "tests/support/vectors.h"

namespace sessionsim::net {
namespace {

std::string data_dir() {
    return (test::vectors_dir() / ".." / "data").string();
}

const MeasuredLatency& measured() {
    static const MeasuredLatency model(MeasuredLatencyOptions{.data_dir = data_dir()});
    return model;
}

int city(const char* country, const char* name) {
    for (const int c : measured().cities_in(country)) {
        if (measured().city_name(c) == name)
            return c;
    }
    ADD_FAILURE() << "no city " << name << " in " << country;
    return -1;
}

TEST(MeasuredLatency, CityPairsAreWonderProxyAverages) {
    const Location frankfurt{"DE", city("DE", "Frankfurt")};
    const Location new_york{"US", city("US", "NewYork")};
    const Location singapore{"SG", city("SG", "Singapore")};
    EXPECT_NEAR(measured().rtt_ms(frankfurt, new_york), 82.56, 0.3);  // README sample row
    EXPECT_NEAR(measured().rtt_ms(frankfurt, singapore), 150.16, 0.5);
    EXPECT_DOUBLE_EQ(measured().rtt_ms(frankfurt, new_york),
                     measured().rtt_ms(new_york, frankfurt));
    EXPECT_DOUBLE_EQ(measured().rtt_ms(frankfurt, frankfurt), 1.0);  // same site
    EXPECT_NEAR(measured().one_way_ms(frankfurt, new_york), 41.28, 0.15);
}

TEST(MeasuredLatency, CountryPairsAreTheMediansTheDataReadmeStates) {
    const auto& t = measured().countries();
    EXPECT_NEAR(t.rtt_ms("DE", "US"), 117.9, 0.05);
    EXPECT_NEAR(t.rtt_ms("DE", "NL"), 15.0, 0.05);
    EXPECT_NEAR(t.rtt_ms("SG", "US"), 237.2, 0.05);
    EXPECT_NEAR(t.rtt_ms("DE", "SG"), 166.1, 0.05);
    EXPECT_NEAR(t.rtt_ms("DE", "DE"), 12.4, 0.05);
    EXPECT_NEAR(t.rtt_ms("US", "US"), 40.1, 0.05);
    // A host without a city falls back to its country pair.
    EXPECT_NEAR(measured().rtt_ms({"DE", -1}, {"US", city("US", "NewYork")}), 117.9, 0.05);
}

TEST(MeasuredLatency, RipeFillsCountriesWonderProxyLacks) {
    EXPECT_TRUE(measured().cities_in("BY").empty());
    EXPECT_NEAR(measured().countries().rtt_ms("BY", "DE"), 40.94, 0.01);  // RIPE, 469,395 samples
    EXPECT_NEAR(measured().countries().rtt_ms("BY", "BY"), 1.22, 0.01);
    EXPECT_GT(measured().countries().inferred_pairs(), 0u);
    EXPECT_GT(measured().countries().countries().size(), 120u);
    EXPECT_GT(measured().city_pairs(), 29'000u);
}

TEST(MeasuredLatency, EveryKnownPairIsPositiveAndSymmetric) {
    const auto& t = measured().countries();
    const auto cs = t.countries();
    for (std::size_t i = 0; i < cs.size(); i += 3) {
        for (std::size_t j = 0; j < cs.size(); j += 5) {
            double ab = 0;
            try {
                ab = t.rtt_ms(cs[i], cs[j]);
            } catch (const DataError&) {
                continue;  // an island in the data: reported, never silently zero
            }
            EXPECT_GT(ab, 0) << cs[i] << "-" << cs[j];
            EXPECT_DOUBLE_EQ(ab, t.rtt_ms(cs[j], cs[i]));
        }
    }
    EXPECT_THROW(t.rtt_ms("DE", "QQ"), DataError);
}

TEST(CountryRttTable, ShortestPathsFillGapsAndMeasuredValuesStay) {
    CountryRttTable t;
    t.set("A", "B", 10);
    t.set("B", "C", 20);
    t.set("C", "D", 5);
    t.set("A", "D", 100);  // slower than A-B-C-D (35) but measured: kept
    t.set("E", "F", 1);    // an island
    t.complete(7);
    EXPECT_DOUBLE_EQ(t.rtt_ms("A", "C"), 30);
    EXPECT_DOUBLE_EQ(t.rtt_ms("B", "D"), 25);
    EXPECT_DOUBLE_EQ(t.rtt_ms("A", "D"), 100);
    EXPECT_DOUBLE_EQ(t.rtt_ms("A", "A"), 7);
    EXPECT_THROW(t.rtt_ms("A", "E"), DataError);
    EXPECT_EQ(t.measured_pairs(), 5u);
}

TEST(OtherLatencyModels, UniformAndMatrix) {
    const UniformLatency u(25);
    EXPECT_DOUBLE_EQ(u.rtt_ms({"DE", 3}, {"US", -1}), 50);
    EXPECT_THROW(UniformLatency(-1), DataError);

    const auto dir = sessionsim::test::scratch_path("matrix");
    std::filesystem::create_directories(dir);
    const auto good = dir / "sessionsim-matrix-good.csv";
    std::ofstream(good) << "a,b,rtt_ms\nDE,US,100\nUS,JP,120\nDE,DE,5\n";
    const MatrixLatency m(good.string());
    EXPECT_DOUBLE_EQ(m.rtt_ms({"DE"}, {"US"}), 100);
    EXPECT_DOUBLE_EQ(m.rtt_ms({"JP"}, {"DE"}), 220);
    EXPECT_DOUBLE_EQ(m.rtt_ms({"DE"}, {"DE"}), 5);
    EXPECT_DOUBLE_EQ(m.rtt_ms({"US"}, {"US"}), 10);  // default for countries without a value

    const auto bad = dir / "sessionsim-matrix-bad.csv";
    std::ofstream(bad) << "a,b,rtt_ms\nDE,US,fast\n";
    try {
        MatrixLatency{bad.string()};
        FAIL();
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2, column 'rtt_ms': 'fast' is not a number"),
                  std::string::npos)
            << e.what();
    }
    const auto wrong = dir / "sessionsim-matrix-wrong.csv";
    std::ofstream(wrong) << "from,to,ms\nDE,US,1\n";
    EXPECT_THROW(MatrixLatency{wrong.string()}, DataError);
    EXPECT_THROW(MatrixLatency{(dir / "no-such-file.csv").string()}, DataError);
    std::filesystem::remove(good);
    std::filesystem::remove(bad);
    std::filesystem::remove(wrong);
}

TEST(CountryCodes, WonderProxyNamesMapToIsoCodes) {
    const auto cc = CountryCodes::load();
    EXPECT_EQ(cc.code_of("Germany"), "DE");
    EXPECT_EQ(cc.code_of("United States"), "US");
    EXPECT_EQ(cc.code_of("South Korea"), "KR");
    EXPECT_EQ(cc.code_of("Russia"), "RU");
    EXPECT_EQ(cc.code_of("Turkey"), "TR");
    EXPECT_FALSE(cc.code_of("Atlantis"));
}

}  // namespace
}  // namespace sessionsim::net

#include <set>

#include "sim/net/placement.h"

namespace sessionsim::net {
namespace {

TEST(Placement, ApportionIsExactAndDeterministic) {
    const auto counts = apportion({{"DE", 1}, {"US", 1}, {"FR", 1}}, 10);
    std::size_t total = 0;
    for (const auto& [c, n] : counts)
        total += n;
    EXPECT_EQ(total, 10u);
    EXPECT_EQ(counts[0].second, 4u);  // the tie goes to the first in mix order
    EXPECT_THROW(apportion({}, 5), DataError);
    EXPECT_THROW(apportion({{"DE", 0}}, 5), DataError);
    EXPECT_THROW(apportion({{"DE", -1}, {"US", 2}}, 5), DataError);
}

TEST(Placement, DefaultNodeMixSpansOverFiftyCountriesAtTwoThousandNodes) {
    const auto counts = apportion(default_node_countries(), 2000);
    std::size_t countries = 0;
    for (const auto& [c, n] : counts)
        countries += n > 0;
    EXPECT_GT(countries, 50u);
    EXPECT_EQ(counts[0].first, "DE");
    EXPECT_EQ(counts[0].second, 520u);  // 26% of 2,000
}

TEST(Placement, ProvidersPackNodesIntoSubnetsOfOneCountry) {
    crypto::SeededRandom random(1, "placement");
    const auto hosts = place_hosts(2000, default_node_countries(), &measured(),
                                   {.hosts_per_subnet = 4, .first_address = 0x0a000000}, random);
    ASSERT_EQ(hosts.size(), 2000u);
    std::map<std::uint32_t, std::set<std::string>> countries_by_subnet;
    std::map<std::uint32_t, int> per_subnet;
    std::set<std::uint32_t> addresses;
    for (const auto& h : hosts) {
        countries_by_subnet[h.subnet24()].insert(h.location.country);
        ++per_subnet[h.subnet24()];
        addresses.insert(h.ipv4);
        if (!measured().cities_in(h.location.country).empty()) {
            EXPECT_GE(h.location.city, 0) << h.location.country;
        }
        EXPECT_NO_THROW(measured().rtt_ms(h.location, hosts[0].location)) << h.location.country;
    }
    EXPECT_EQ(addresses.size(), 2000u);
    for (const auto& [subnet, cs] : countries_by_subnet)
        EXPECT_EQ(cs.size(), 1u);
    for (const auto& [subnet, n] : per_subnet)
        EXPECT_LE(n, 4);
    EXPECT_LE(per_subnet.size(), 2000u / 4 + 60);
}

TEST(Placement, DefaultClientMixIsCoveredByTheLatencyData) {
    crypto::SeededRandom random(2, "clients");
    const auto hosts = place_hosts(500, default_client_countries(), &measured(),
                                   {.hosts_per_subnet = 1, .first_address = 0x14000000}, random);
    std::set<std::uint32_t> subnets;
    for (const auto& h : hosts) {
        subnets.insert(h.subnet24());
        EXPECT_NO_THROW(measured().rtt_ms(h.location, {"DE", -1})) << h.location.country;
    }
    EXPECT_EQ(subnets.size(), 500u);
}

}  // namespace
}  // namespace sessionsim::net
