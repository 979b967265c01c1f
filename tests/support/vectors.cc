#include "tests/support/vectors.h"

#include "tests/support/skips.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace sessionsim::test {

std::filesystem::path vectors_dir() {
    if (const char* env = std::getenv("SESSIONSIM_VECTORS_DIR"); env && *env)
        return env;
    return SESSIONSIM_VECTORS_DIR;
}

nlohmann::json load_vectors(std::string_view file_name) {
    const auto path = vectors_dir() / file_name;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("vector file missing or unreadable: " + path.string());
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("vector file " + path.string() +
                                 " is not valid JSON: " + e.what());
    }
}

namespace {

/// One tab-separated line in the running test's tally file (build/vector-tally/<test>.tsv).
void append_tally(const std::string& line) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "unknown";
    std::replace(test.begin(), test.end(), '/', '_');  // parameterised names hold slashes
    std::error_code ec;
    const std::filesystem::path tally_dir = SESSIONSIM_VECTOR_TALLY_DIR;
    std::filesystem::create_directories(tally_dir, ec);
    std::ofstream(tally_dir / (test + ".tsv"), std::ios::app) << line << '\n';
}

}  // namespace

void record_checked(std::string_view part, std::size_t count) {
    std::cout << "[vectors] " << count << " entries of " << part << " checked\n";
    ::testing::Test::RecordProperty(std::string(part), static_cast<int>(count));
    append_tally("checked\t" + std::string(part) + "\t" + std::to_string(count));
}

void record_skipped(std::string_view part, std::size_t count, std::string_view capability) {
    std::cout << "[vectors] " << count << " entries of " << part << " NOT checked: no "
              << capability << "\n";
    append_tally("skipped\t" + std::string(part) + "\t" + std::to_string(count) + "\t" +
                 std::string(capability));
    if (capability_required(capability))
        ADD_FAILURE() << count << " entries of " << part << " skipped for want of " << capability
                      << ", which SESSIONSIM_REQUIRE says this machine has";
}

}  // namespace sessionsim::test
