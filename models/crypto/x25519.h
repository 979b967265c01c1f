// X25519 key agreement (libsodium crypto_scalarmult / crypto_box key pairs), real or modelled
// (mode.h).
#pragma once

#include "models/common/bytes.h"
#include "models/crypto/secret_bytes.h"

namespace sessionsim::crypto {

using X25519PublicKey = FixedBytes<32>;
using X25519SecretKey = SecretBytes<32>;

struct X25519KeyPair {
    X25519PublicKey public_key;
    X25519SecretKey secret_key;
};

/// Key pair whose secret is the given 32 bytes (e.g. drawn from the caller's seeded RNG, so a
/// simulation's ephemeral keys are reproducible). The public key is secret·G.
X25519KeyPair x25519_from_secret(const X25519SecretKey& secret_key);

/// crypto_box_seed_keypair: secret = SHA-512(seed)[0..32]. Used by deterministic sealed boxes.
X25519KeyPair x25519_from_seed(const SecretBytes<32>& seed);

/// A one-use key pair (an onion layer's, a sealed box's) from the caller's random secret. Real
/// mode: x25519_from_secret. Modelled mode (mode.h): the public key is a hash of the secret.
X25519KeyPair x25519_ephemeral(const X25519SecretKey& secret_key);

/// Raw X25519 shared secret of our key pair and a peer's public key (the modelled mode needs our
/// public key as well as our secret). Throws CryptoError for a low-order peer key.
SecretBytes<32> x25519_shared_secret(const X25519KeyPair& own,
                                     const X25519PublicKey& peer_public_key);

}  // namespace sessionsim::crypto
