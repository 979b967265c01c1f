// Which arithmetic the public-key primitives do in this thread: real (libsodium's curve
// operations, the default) or modelled (cheap keyed hashes with the same sizes, the same
// accept/reject decisions and the same random draws).
//
// Simulated time never depends on wall-clock CPU (processing delay is modelled), so at large
// populations the curve arithmetic is pure cost: about 0.85 ms per onion request. Modelled mode
// replaces only what is expensive and keeps everything a result can depend on:
//   - Long-term keys (Session IDs, node keys) stay real: they are made at set-up.
//   - One-use X25519 keys (onion layers, sealed boxes): public = BLAKE2b(secret), top bit clear.
//   - X25519 shared secret of (own key pair, peer key) = BLAKE2b(min(own, peer) || max(own, peer))
//     of the two public keys, each read as X25519 reads it (top bit cleared, modulo p): both ends
//     get the same secret, as with the curve, and any other key gets a different one. Low-order
//     peer keys are refused as libsodium refuses them.
//   - Ed25519 signature of m by key A = BLAKE2b-512(A || m): verifies under A only, and any change
//     to m or the signature fails, as a real one would.
//   - Symmetric encryption, hashes and random draws stay real, so every size is the same.
// It is not secure (anyone who knows both public keys has the shared secret): a simulation
// device, never used by the testbed or the proto commands. docs/crypto-modes.md shows its
// equivalence with real crypto.
//
// The mode is per thread and per run: the scenario runner sets it for the run's duration with a
// CryptoModeScope, so sweeps that run several scenarios in one process each get their own.
#pragma once

#include <optional>
#include <string_view>

namespace sessionsim::crypto {

enum class CryptoMode { real, modelled };

/// This thread's mode (real unless a CryptoModeScope says otherwise).
CryptoMode crypto_mode();

std::string_view to_string(CryptoMode mode);
/// "real" or "modelled"; nullopt for anything else.
std::optional<CryptoMode> parse_crypto_mode(std::string_view text);

/// Sets this thread's mode until it goes out of scope, then restores the previous one.
class CryptoModeScope {
public:
    explicit CryptoModeScope(CryptoMode mode);
    ~CryptoModeScope();
    CryptoModeScope(const CryptoModeScope&) = delete;
    CryptoModeScope& operator=(const CryptoModeScope&) = delete;

private:
    CryptoMode previous_;
};

}  // namespace sessionsim::crypto
