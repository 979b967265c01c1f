#include "models/crypto/random.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {

std::uint64_t RandomSource::next_u64() {
    std::uint8_t b[8];
    fill(b);
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | b[i];
    return v;
}

std::uint64_t RandomSource::uniform(std::uint64_t n) {
    if (n == 0)
        throw InvalidInput("uniform: empty range");
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do {
        x = next_u64();
    } while (x >= limit);
    return x % n;
}

double RandomSource::unit() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

void SystemRandom::fill(std::span<std::uint8_t> out) {
    system_random(out);
}

SeededRandom::SeededRandom(const FixedBytes<32>& seed) : key_(seed) {
    ensure_sodium();
}

SeededRandom::SeededRandom(std::uint64_t seed, std::string_view label) {
    ensure_sodium();
    FixedBytes<8> s;
    for (int i = 0; i < 8; ++i)
        s[i] = static_cast<std::uint8_t>(seed >> (8 * i));
    key_ = blake2b_256({s, as_bytes(label)});
}

void SeededRandom::refill() {
    constexpr std::uint64_t kChunksPerRun = kRunBytes / kChunkBytes;
    const std::uint64_t nonce_value = chunk_ / kChunksPerRun;
    FixedBytes<8> nonce{};
    for (int i = 0; i < 8; ++i)
        nonce[i] = static_cast<std::uint8_t>(nonce_value >> (8 * i));
    // ChaCha20's block counter inside the run: the bytes are those of the whole run's keystream.
    const std::uint64_t first_block = (chunk_ % kChunksPerRun) * (kChunkBytes / 64);
    ++chunk_;
    buffer_.fill(0);
    crypto_stream_chacha20_xor_ic(buffer_.data(), buffer_.data(), buffer_.size(), nonce.data(),
                                  first_block, key_.data());
    used_ = 0;
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        if (used_ == buffer_.size())
            refill();
        const std::size_t n = std::min(out.size() - done, buffer_.size() - used_);
        std::memcpy(out.data() + done, buffer_.data() + used_, n);
        used_ += static_cast<std::uint32_t>(n);
        done += n;
    }
}

}  // namespace sessionsim::crypto
