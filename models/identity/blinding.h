// Community ("15") blinding (libsession session/blinding.cpp): a user appears to each
// community server under a different key, so servers cannot match users across communities.
//   k  = BLAKE2b-512(server Ed25519 pubkey) reduced mod L
//   a  = k * x   (x: the X25519 secret of the user's Ed25519 key),  A = a*G
//   id = 0x15 || A
// Signatures by the blinded key are ordinary Ed25519 signatures under A (verifiable with
// crypto_sign_verify_detached): r = H512(H512(sk)[32..64] || A || m) mod L, R = r*G,
// S = r + H512(R || A || m) * a. In modelled crypto (crypto/mode.h) the signature is the modelled
// one under A, which ed25519_verify accepts under A just the same.
#pragma once

#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"

namespace sessionsim::identity {

struct BlindedKeys {
    crypto::Ed25519PublicKey public_key;  ///< A
    crypto::SecretBytes<32> scalar;       ///< a
    AccountId id() const { return {0x15, public_key}; }
};

BlindedKeys blind15(const crypto::Ed25519SecretKey& user, const crypto::Ed25519PublicKey& server);
crypto::Ed25519Signature blind15_sign(const crypto::Ed25519SecretKey& user,
                                      const crypto::Ed25519PublicKey& server, ByteView message);

}  // namespace sessionsim::identity
