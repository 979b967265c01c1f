// Error types of the protocol core. Every rejection carries a one-line, human-readable reason.
#pragma once

#include <stdexcept>
#include <string>

namespace sessionsim {

/// Input that does not follow the protocol's rules (bad hex, wrong length, bad checksum, ...).
/// The message is a complete one-line reason suitable for a user.
class InvalidInput : public std::invalid_argument {
public:
    explicit InvalidInput(const std::string& reason) : std::invalid_argument(reason) {}
};

/// A cryptographic operation failed (bad key, failed authentication, libsodium refused).
class CryptoError : public std::runtime_error {
public:
    explicit CryptoError(const std::string& reason) : std::runtime_error(reason) {}
};

}  // namespace sessionsim
