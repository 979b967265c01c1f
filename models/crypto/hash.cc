#include "models/crypto/hash.h"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "models/common/errors.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {

namespace {

/// BLAKE2b of `parts` into `out` (16..64 bytes): the fixed-size forms write in place, without the
/// heap buffer of the Bytes form (onion layers and modelled crypto hash on every request).
void check_output_length(std::size_t out_len) {
    if (out_len < crypto_generichash_BYTES_MIN || out_len > crypto_generichash_BYTES_MAX) {
        throw CryptoError("BLAKE2b output length " + std::to_string(out_len) +
                          " is outside 16..64");
    }
}

void blake2b_into(std::span<std::uint8_t> out, std::initializer_list<ByteView> parts,
                  ByteView key) {
    ensure_sodium();
    check_output_length(out.size());
    if (key.size() > crypto_generichash_KEYBYTES_MAX) {
        throw CryptoError("BLAKE2b key longer than 64 bytes");
    }
    crypto_generichash_state state;
    crypto_generichash_init(&state, key.empty() ? nullptr : key.data(), key.size(), out.size());
    for (const auto& part : parts)
        crypto_generichash_update(&state, part.data(), part.size());
    crypto_generichash_final(&state, out.data(), out.size());
}

}  // namespace

Bytes blake2b(std::size_t out_len, std::initializer_list<ByteView> parts, ByteView key) {
    check_output_length(out_len);  // before the buffer is made
    Bytes out(out_len);
    blake2b_into(out, parts, key);
    return out;
}

FixedBytes<32> blake2b_256(std::initializer_list<ByteView> parts, ByteView key) {
    FixedBytes<32> out;
    blake2b_into(out, parts, key);
    return out;
}

FixedBytes<64> blake2b_512(std::initializer_list<ByteView> parts, ByteView key) {
    FixedBytes<64> out;
    blake2b_into(out, parts, key);
    return out;
}

FixedBytes<32> sha256(ByteView data) {
    ensure_sodium();
    FixedBytes<32> out;
    crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
}

FixedBytes<64> sha512(ByteView data) {
    ensure_sodium();
    FixedBytes<64> out;
    crypto_hash_sha512(out.data(), data.data(), data.size());
    return out;
}

FixedBytes<32> hmac_sha256(ByteView key, ByteView message) {
    ensure_sodium();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.data(), key.size());
    crypto_auth_hmacsha256_update(&state, message.data(), message.size());
    FixedBytes<32> out;
    crypto_auth_hmacsha256_final(&state, out.data());
    return out;
}

}  // namespace sessionsim::crypto
