// Sealed boxes (anonymous public-key encryption): eph_pk(32) || crypto_box(msg), with the nonce
// BLAKE2b-192(eph_pk || recipient_pk). Session's one-to-one messages are sealed this way.
#pragma once

#include <optional>

#include "models/common/bytes.h"
#include "models/crypto/x25519.h"

namespace sessionsim::crypto {

inline constexpr std::size_t kSealedBoxOverhead = 32 + 16;

/// Seals with a fresh ephemeral key from the system CSPRNG (libsodium crypto_box_seal): always
/// real crypto, for the testbed and tests; simulations seal with sealed_box_seal_with.
Bytes sealed_box_seal(ByteView message, const X25519PublicKey& recipient);

/// Seals with a caller-chosen ephemeral key pair, so the output is reproducible. In real mode
/// (mode.h) any sealed-box opener (crypto_box_seal_open) opens it.
Bytes sealed_box_seal_with(ByteView message, const X25519PublicKey& recipient,
                           const X25519KeyPair& ephemeral);

/// Opens a sealed box; nullopt if it is too short or does not authenticate.
std::optional<Bytes> sealed_box_open(ByteView sealed, const X25519KeyPair& recipient);

}  // namespace sessionsim::crypto
