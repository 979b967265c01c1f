// Scratch files for tests that write results or inputs.
#pragma once

#include <filesystem>
#include <string_view>

namespace sessionsim::test {

/// <system temp folder>/sessionsim-<name>-<process id>: a path no other test process uses, so
/// that two suites running at once (the sanitizer build's beside the normal one, two checkouts
/// on one machine) never remove or read each other's files. Nothing is created or removed.
std::filesystem::path scratch_path(std::string_view name);

}  // namespace sessionsim::test
