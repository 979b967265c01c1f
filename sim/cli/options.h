// Option checks shared by the subcommands, so that every bad value gets the same kind of answer:
// exit 2 and one line naming the option, before any work starts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace sessionsim::cli {

/// Accepts only a whole number in [min, max] written in decimal digits. CLI11's own checks
/// answer "abc" for an integer with "Value abc not in range 0 to 1.797...e308" (the range of a
/// double); this one says "'abc' is not a whole number from 0 to 9223372036854775807".
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max);

/// Creates the results folder `dir` named by `option` and writes a probe file into it, so that a
/// folder that cannot be created or written fails in one line before a run starts rather than
/// after it, with its results lost. Throws InvalidInput.
void prepare_output_folder(const std::string& dir, std::string_view option);

}  // namespace sessionsim::cli
