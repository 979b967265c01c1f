// Where the protocol core gets randomness. It never draws on its own: every function that needs
// random bytes (ephemeral keys, nonces, path choices) takes a RandomSource, so a simulation
// passes a seeded source and is reproducible byte for byte, while the testbed passes the system
// CSPRNG.
#pragma once

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
};

/// The operating system's CSPRNG (libsodium randombytes).
class SystemRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override;
};

/// A ChaCha20 keystream from a 32-byte seed: deterministic, cryptographic quality, cheap.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(const FixedBytes<32>& seed);
    /// Seed from a 64-bit run seed and a label, so independent streams (one per host, say) come
    /// from one run seed.
    SeededRandom(std::uint64_t seed, std::string_view label);
    void fill(std::span<std::uint8_t> out) override;

private:
    void refill();
    FixedBytes<32> key_;
    std::uint64_t block_ = 0;
    FixedBytes<64 * 16> buffer_{};
    std::size_t used_ = sizeof(buffer_);
};

}  // namespace sessionsim::crypto
