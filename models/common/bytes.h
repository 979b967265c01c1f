// Byte containers and hex conversion shared by every protocol module.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sessionsim {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

template <std::size_t N>
using FixedBytes = std::array<std::uint8_t, N>;

/// Lower-case hex of `data`.
std::string to_hex(ByteView data);

/// True if `text` is an even-length string of hex digits (either case).
bool is_hex(std::string_view text);

/// Decodes hex (either case). Throws InvalidInput naming `what` if the text is not hex.
Bytes from_hex(std::string_view text, std::string_view what = "hex string");

/// Decodes exactly N bytes of hex; throws InvalidInput naming `what` on a wrong length.
template <std::size_t N>
FixedBytes<N> fixed_from_hex(std::string_view text, std::string_view what);

/// Views a string's characters as bytes (no copy).
inline ByteView as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Concatenates byte ranges into one buffer.
Bytes concat(std::initializer_list<ByteView> parts);

}  // namespace sessionsim

#include "models/common/bytes_impl.h"
