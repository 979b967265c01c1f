// Hash functions the protocol uses: BLAKE2b (keyed and unkeyed, any length), SHA-256/512, and
// HMAC-SHA256.
#pragma once

#include <cstddef>
#include <initializer_list>

#include "models/common/bytes.h"

namespace sessionsim::crypto {

/// BLAKE2b of the concatenation of `parts`, `out_len` bytes (16..64), optionally keyed.
Bytes blake2b(std::size_t out_len, std::initializer_list<ByteView> parts, ByteView key = {});

/// BLAKE2b-256 of the concatenation of `parts`.
FixedBytes<32> blake2b_256(std::initializer_list<ByteView> parts, ByteView key = {});

/// BLAKE2b-512 of the concatenation of `parts`.
FixedBytes<64> blake2b_512(std::initializer_list<ByteView> parts, ByteView key = {});

FixedBytes<32> sha256(ByteView data);
FixedBytes<64> sha512(ByteView data);

/// HMAC-SHA256(key, message); any key length.
FixedBytes<32> hmac_sha256(ByteView key, ByteView message);

}  // namespace sessionsim::crypto
