// The modelled public-key primitives (mode.h explains the mode and why each is faithful). Only
// the crypto wrappers and the blinded signer (identity/blinding.cc) call these, after checking
// crypto_mode().
#pragma once

#include <span>

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/x25519.h"

namespace sessionsim::crypto::modelled {

/// Public key of a one-use X25519 secret: BLAKE2b-256 of it, top bit clear like a real u.
X25519PublicKey x25519_public(const X25519SecretKey& secret_key);

/// The same 32 bytes for (A, B) and (B, A). Throws CryptoError for a peer key libsodium refuses.
SecretBytes<32> x25519_shared(const X25519PublicKey& own, const X25519PublicKey& peer);

/// The encodings of X25519's low-order points that libsodium's crypto_scalarmult refuses (its
/// blacklist: 0, 1, the two points of order 8, p - 1, p, p + 1), top bit clear.
std::span<const X25519PublicKey> x25519_low_order_keys();

/// True for a low-order key, ignoring the top bit as X25519 does.
bool x25519_small_order(const X25519PublicKey& key);

/// A 64-byte signature that only `signer` makes for `message`.
Ed25519Signature ed25519_signature(const Ed25519PublicKey& signer, ByteView message);

}  // namespace sessionsim::crypto::modelled
