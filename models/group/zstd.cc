#include "models/group/zstd.h"

#include <zstd.h>

namespace sessionsim::group {

Bytes zstd_compress(ByteView data) {
    Bytes out(ZSTD_compressBound(data.size()));
    const std::size_t n =
        ZSTD_compress(out.data(), out.size(), data.data(), data.size(), ZSTD_CLEVEL_DEFAULT);
    if (ZSTD_isError(n))
        return Bytes(data.begin(), data.end());  // cannot happen with a bound-sized buffer
    out.resize(n);
    return out;
}

std::optional<Bytes> zstd_decompress(ByteView data, std::size_t max_size) {
    // Streamed, so a frame that does not declare its size (or lies about it) is still bounded.
    ZSTD_DStream* stream = ZSTD_createDStream();
    if (stream == nullptr)
        return std::nullopt;
    Bytes out;
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    std::uint8_t chunk[16384];
    std::size_t last = 1;
    while (in.pos < in.size || last != 0) {
        ZSTD_outBuffer o{chunk, sizeof chunk, 0};
        last = ZSTD_decompressStream(stream, &o, &in);
        if (ZSTD_isError(last) || out.size() + o.pos > max_size) {
            ZSTD_freeDStream(stream);
            return std::nullopt;
        }
        out.insert(out.end(), chunk, chunk + o.pos);
        if (in.pos == in.size && o.pos == 0 && last != 0) {
            ZSTD_freeDStream(stream);
            return std::nullopt;  // truncated frame
        }
    }
    ZSTD_freeDStream(stream);
    return out;
}

}  // namespace sessionsim::group
