// Strict decimal parsing of unsigned 64-bit values (swarm ids, swarm space, seeds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sessionsim {

/// Parses a base-10 u64 with no sign, no spaces and no leading '+'. Throws InvalidInput naming
/// `what` on anything else, including values above 2^64-1.
std::uint64_t parse_u64(std::string_view text, std::string_view what);

/// Parses a comma-separated list of u64 values ("" gives an empty list).
std::vector<std::uint64_t> parse_u64_list(std::string_view text, std::string_view what);

}  // namespace sessionsim
