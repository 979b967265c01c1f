// Entry point of the sessionsim command line, callable in-process (tests) or from main().
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sessionsim::cli {

/// Exit codes: 0 success (and --help), 2 bad input or usage (one-line reason on `err`),
/// 1 internal error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternalError = 1;
inline constexpr int kExitBadInput = 2;

/// Runs `sessionsim <args...>` (args exclude the program name). Results go to `out`, diagnostics
/// to `err`; nothing is written to `out` when a command fails.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sessionsim::cli
