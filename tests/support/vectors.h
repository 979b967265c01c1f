// Loading the shared conformance vectors at test time, and keeping count of how many were checked.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sessionsim::test {

/// $SESSIONSIM_VECTORS_DIR if set, else the build's configured shared/vectors folder.
std::filesystem::path vectors_dir();

/// Parses a vector file. A missing or unreadable file throws, so the test fails (never skips).
nlohmann::json load_vectors(std::string_view file_name);

/// Records that the running test checked `count` entries of `part` (a vector file's name, then
/// optionally which part of it): printed at once and written to the tally folder, which
/// scripts/vector-tally.py compares with the number of entries the vector files hold.
void record_checked(std::string_view part, std::size_t count);

/// Records that the running test could not check `count` entries of `part` because the machine
/// lacks `capability` (see skips.h). The tally counts them apart; where the machine is declared to
/// have the capability (SESSIONSIM_REQUIRE), this fails the test instead.
void record_skipped(std::string_view part, std::size_t count, std::string_view capability);

}  // namespace sessionsim::test
