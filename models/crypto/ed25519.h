// Ed25519 signing keys and their conversion to X25519 (libsodium). Signing and verifying are
// real or modelled (mode.h); key pairs and conversions are always real.
#pragma once

#include <cstdint>
#include <string>

#include "models/common/bytes.h"
#include "models/crypto/secret_bytes.h"

namespace sessionsim::crypto {

using Ed25519PublicKey = FixedBytes<32>;
using Ed25519Signature = FixedBytes<64>;
using Ed25519Seed = SecretBytes<32>;
/// libsodium's secret key layout: seed(32) || public key(32).
using Ed25519SecretKey = SecretBytes<64>;

struct Ed25519KeyPair {
    Ed25519PublicKey public_key;
    Ed25519SecretKey secret_key;
};

/// crypto_sign_seed_keypair: the deterministic key pair of a 32-byte seed.
Ed25519KeyPair ed25519_from_seed(const Ed25519Seed& seed);
/// The key seed of the i-th `label` ("service node ", "client ") of a run with `seed`: the
/// simulator and the testbed derive the same keys from the same seed this way.
Ed25519Seed derived_seed(std::uint64_t seed, const std::string& label, std::size_t i);

Ed25519Signature ed25519_sign(const Ed25519SecretKey& secret_key, ByteView message);

/// True iff `signature` is a valid signature of `message` by `public_key`.
bool ed25519_verify(const Ed25519PublicKey& public_key, const Ed25519Signature& signature,
                    ByteView message);

/// Birational map of an Ed25519 public key to its X25519 (Montgomery) form. Throws CryptoError
/// if the key is not a valid curve point.
FixedBytes<32> ed25519_pk_to_x25519(const Ed25519PublicKey& public_key);

/// X25519 secret of an Ed25519 secret key: SHA-512(seed)[0..32], clamped.
SecretBytes<32> ed25519_sk_to_x25519(const Ed25519SecretKey& secret_key);

}  // namespace sessionsim::crypto
