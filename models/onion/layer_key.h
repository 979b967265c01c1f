// The symmetric key of one onion layer, and encryption with it. Client and hop derive the same
// key from X25519 (a, B) = X25519 (b, A); the final destination reuses it for its reply.
//   aes-gcm:   key = HMAC-SHA256(key = "LOKI", shared)             wire: iv(12)    || ct || tag
//   xchacha20: key = BLAKE2b-256(shared || A || B)                 wire: nonce(24) || ct || tag
// where A is the client's ephemeral public key and B the hop's X25519 public key.
#pragma once

#include <optional>

#include "models/common/bytes.h"
#include "models/crypto/aead.h"
#include "models/crypto/random.h"
#include "models/crypto/x25519.h"
#include "models/onion/enc_type.h"

namespace sessionsim::onion {

class LayerKey {
public:
    /// Client side: its ephemeral key pair (a, A) and the hop's public key B.
    static LayerKey for_client(EncType type, const crypto::X25519KeyPair& ephemeral,
                               const crypto::X25519PublicKey& hop);
    /// Hop side: its own key pair (b, B) and the client's ephemeral public key A.
    static LayerKey for_hop(EncType type, const crypto::X25519KeyPair& hop,
                            const crypto::X25519PublicKey& ephemeral);

    /// nonce || ciphertext || tag, with a fresh nonce from `random`.
    Bytes encrypt(ByteView plaintext, crypto::RandomSource& random) const;
    /// nullopt if too short or it does not authenticate.
    std::optional<Bytes> decrypt(ByteView wire) const;

    EncType enc_type() const { return type_; }

private:
    LayerKey(EncType type, const crypto::SecretBytes<32>& shared,
             const crypto::X25519PublicKey& client_ephemeral, const crypto::X25519PublicKey& hop);
    EncType type_;
    crypto::AeadKey key_;
};

}  // namespace sessionsim::onion
