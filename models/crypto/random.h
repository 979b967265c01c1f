// Where the protocol core gets randomness. It never draws on its own: every function that needs
// random bytes (ephemeral keys, nonces, path choices) takes a RandomSource, so a simulation
// passes a seeded source and is reproducible byte for byte, while the testbed passes the system
// CSPRNG.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "models/common/bytes.h"

namespace sessionsim::crypto {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;

    std::uint64_t next_u64();
    /// Uniform in [0, n) without modulo bias; n > 0.
    std::uint64_t uniform(std::uint64_t n);
    /// Uniform in [0, 1).
    double unit();
    template <std::size_t N>
    FixedBytes<N> bytes() {
        FixedBytes<N> b;
        fill(b);
        return b;
    }
    /// Fisher-Yates shuffle, drawing from the last position down (the order every caller's
    /// results were fixed with).
    template <typename T>
    void shuffle(std::span<T> items) {
        for (std::size_t i = items.size(); i > 1; --i)
            std::swap(items[i - 1], items[uniform(i)]);
    }
    /// Moves a uniform sample of min(count, size) distinct items, in draw order, to the front
    /// (a partial Fisher-Yates shuffle); returns the sample size.
    template <typename T>
    std::size_t sample_to_front(std::span<T> items, std::size_t count) {
        count = std::min(count, items.size());
        for (std::size_t k = 0; k < count; ++k)
            std::swap(items[k], items[k + uniform(items.size() - k)]);
        return count;
    }
};

/// The operating system's CSPRNG (libsodium randombytes).
class SystemRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override;
};

/// A ChaCha20 keystream from a 32-byte seed: deterministic, cryptographic quality, cheap.
/// The stream is 1,024-byte runs, one per nonce 0, 1, 2, ... (counter from 0 in each), made
/// `kChunkBytes` at a time so that the object stays small: a million clients hold two each.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(const FixedBytes<32>& seed);
    /// Seed from a 64-bit run seed and a label, so independent streams (one per host, say) come
    /// from one run seed.
    SeededRandom(std::uint64_t seed, std::string_view label);
    void fill(std::span<std::uint8_t> out) override;

private:
    static constexpr std::size_t kRunBytes = 64 * 16;  ///< one nonce's bytes in the stream
    static constexpr std::size_t kChunkBytes = 128;    ///< made at once: two ChaCha20 blocks
    void refill();
    FixedBytes<32> key_;
    std::uint64_t chunk_ = 0;  ///< chunks made so far: nonce = chunk_ / chunks per run
    FixedBytes<kChunkBytes> buffer_{};
    std::uint32_t used_ = kChunkBytes;
};

}  // namespace sessionsim::crypto
