#include "tests/support/vectors.h"

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

void record_checked(std::string_view file_name, std::size_t count) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "unknown";
    std::replace(test.begin(), test.end(), '/', '_');  // parameterised names hold slashes
    std::cout << "[vectors] " << test << ": " << count << " entries of " << file_name
              << " checked\n";
    ::testing::Test::RecordProperty(std::string(file_name), static_cast<int>(count));
    std::error_code ec;
    const std::filesystem::path tally_dir = SESSIONSIM_VECTOR_TALLY_DIR;
    std::filesystem::create_directories(tally_dir, ec);
    std::ofstream(tally_dir / (test + ".txt")) << file_name << ' ' << count << '\n';
}

}  // namespace sessionsim::test
