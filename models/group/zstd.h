// zstd framing for group message bodies (libsession compresses when that makes them smaller).
#pragma once

#include <cstddef>
#include <optional>

#include "models/common/bytes.h"

namespace sessionsim::group {

Bytes zstd_compress(ByteView data);
/// nullopt if `data` is not one zstd frame or would decompress beyond `max_size` bytes.
std::optional<Bytes> zstd_decompress(ByteView data, std::size_t max_size);

}  // namespace sessionsim::group
