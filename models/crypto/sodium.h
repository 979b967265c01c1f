// One-time libsodium initialisation and the random source the core uses when it is given none.
#pragma once

#include <cstdint>
#include <span>

namespace sessionsim::crypto {

/// Initialises libsodium once (thread-safe). Every wrapper calls this; callers never need to.
void ensure_sodium();

/// Fills `out` from the operating system's CSPRNG. The sans-I/O core never calls this on a
/// simulated path: simulations pass seeded randomness in explicitly so runs are reproducible.
void system_random(std::span<std::uint8_t> out);

/// Deterministic byte stream from a 32-byte seed (libsodium's randombytes_buf_deterministic,
/// ChaCha20). Used where the simulator needs reproducible key material.
void deterministic_random(std::span<std::uint8_t> out, std::span<const std::uint8_t, 32> seed);

}  // namespace sessionsim::crypto
