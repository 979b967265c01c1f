// Fixed-size secret material that wipes itself (sodium_memzero) when it goes away.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "models/common/bytes.h"
#include "models/common/errors.h"

namespace sessionsim::crypto {

/// Zeroes memory in a way the optimiser may not remove.
void secure_wipe(void* data, std::size_t size);

/// N secret bytes. Copies are allowed (each copy wipes itself); the bytes never leak into a
/// std::vector or std::string unless the caller asks for them with view().
template <std::size_t N>
class SecretBytes {
public:
    SecretBytes() { bytes_.fill(0); }
    explicit SecretBytes(std::span<const std::uint8_t, N> src) {
        std::copy(src.begin(), src.end(), bytes_.begin());
    }
    SecretBytes(const SecretBytes&) = default;
    SecretBytes& operator=(const SecretBytes&) = default;
    ~SecretBytes() { secure_wipe(bytes_.data(), N); }

    /// Builds from a range that must hold exactly N bytes (throws InvalidInput otherwise).
    static SecretBytes from(ByteView src) {
        if (src.size() != N) {
            throw InvalidInput("secret must be " + std::to_string(N) + " bytes, got " +
                               std::to_string(src.size()));
        }
        SecretBytes s;
        std::copy(src.begin(), src.end(), s.bytes_.begin());
        return s;
    }

    std::span<const std::uint8_t, N> view() const {
        return std::span<const std::uint8_t, N>(bytes_);
    }
    std::span<std::uint8_t, N> mutable_view() { return std::span<std::uint8_t, N>(bytes_); }
    const std::uint8_t* data() const { return bytes_.data(); }
    std::uint8_t* data() { return bytes_.data(); }
    static constexpr std::size_t size() { return N; }

    friend bool operator==(const SecretBytes& a, const SecretBytes& b) {
        return a.bytes_ == b.bytes_;
    }

private:
    std::array<std::uint8_t, N> bytes_;
};

}  // namespace sessionsim::crypto
