#include "models/crypto/sodium.h"

#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/secret_bytes.h"

namespace sessionsim::crypto {

void ensure_sodium() {
    static const bool initialised = [] {
        if (sodium_init() < 0)
            throw CryptoError("libsodium failed to initialise");
        return true;
    }();
    (void)initialised;
}

void secure_wipe(void* data, std::size_t size) {
    sodium_memzero(data, size);
}

void system_random(std::span<std::uint8_t> out) {
    ensure_sodium();
    randombytes_buf(out.data(), out.size());
}

void deterministic_random(std::span<std::uint8_t> out, std::span<const std::uint8_t, 32> seed) {
    ensure_sodium();
    randombytes_buf_deterministic(out.data(), out.size(), seed.data());
}

}  // namespace sessionsim::crypto
