// sessionsim demo: runs, reports, and is byte-for-byte reproducible for a given seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/cli_runner.h"
#include "tests/support/files.h"
#include "tests/support/scratch.h"

namespace sessionsim::test {
namespace {

namespace fs = std::filesystem;

class DemoTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = sessionsim::test::scratch_path(
            "demo-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(DemoTest, SameSeedGivesByteIdenticalResults) {
    const auto a = run({"demo", "--nodes", "300", "--blocks", "10", "--seed", "7", "--out",
                        (dir_ / "a").string()});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    const auto b = run({"demo", "--nodes", "300", "--blocks", "10", "--seed", "7", "--out",
                        (dir_ / "b").string()});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    for (const char* f : {"summary.json", "swarm_sizes.csv", "provenance.json"}) {
        const auto left = slurp(dir_ / "a" / f);
        EXPECT_FALSE(left.empty()) << f;
        EXPECT_EQ(left, slurp(dir_ / "b" / f)) << f;
    }
    const auto other = run({"demo", "--nodes", "300", "--blocks", "10", "--seed", "8", "--out",
                            (dir_ / "c").string()});
    EXPECT_NE(slurp(dir_ / "a" / "swarm_sizes.csv"), slurp(dir_ / "c" / "swarm_sizes.csv"));
}

TEST_F(DemoTest, SummaryRecordsConfigSeedVersionAndHealthySwarms) {
    const auto r =
        run({"demo", "--nodes", "500", "--blocks", "5", "--seed", "3", "--out", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("swarms:"), std::string::npos);
    const auto j = nlohmann::json::parse(slurp(dir_ / "summary.json"));
    EXPECT_EQ(j.at("seed"), 3);
    EXPECT_EQ(j.at("config").at("nodes"), 500);
    EXPECT_FALSE(j.at("version").get<std::string>().empty());
    const auto& formed = j.at("results").at("formation");
    EXPECT_EQ(formed.at("swarms"), formed.at("expected_swarms_registration_only"));
    EXPECT_GE(formed.at("smallest_swarm").get<int>(), 5);
    const auto& outage = j.at("results").at("outage");
    EXPECT_EQ(outage.at("nodes_failed"), 50);
    EXPECT_GE(outage.at("smallest_swarm").get<int>(), 5);
}

TEST_F(DemoTest, BadOptionsExit2) {
    EXPECT_EQ(run({"demo", "--nodes", "0", "--out", dir_.string()}).exit_code, 2);
    EXPECT_EQ(run({"demo", "--outage", "1.5", "--out", dir_.string()}).exit_code, 2);
    EXPECT_EQ(run({"demo", "--seed", "abc", "--out", dir_.string()}).exit_code, 2);
}

}  // namespace
}  // namespace sessionsim::test
