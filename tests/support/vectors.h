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

/// Records that the running test checked `count` entries of `file_name`: printed at once and
/// written to the tally folder that scripts/test-all.sh summarises after the run.
void record_checked(std::string_view file_name, std::size_t count);

}  // namespace sessionsim::test
