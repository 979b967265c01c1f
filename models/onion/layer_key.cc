#include "models/onion/layer_key.h"

#include "models/crypto/hash.h"

namespace sessionsim::onion {

LayerKey::LayerKey(EncType type, const crypto::SecretBytes<32>& shared,
                   const crypto::X25519PublicKey& client_ephemeral,
                   const crypto::X25519PublicKey& hop)
    : type_(type) {
    key_ = crypto::AeadKey::from(type == EncType::aes_gcm
                                     ? crypto::hmac_sha256(as_bytes("LOKI"), shared.view())
                                     : crypto::blake2b_256({shared.view(), client_ephemeral, hop}));
}

LayerKey LayerKey::for_client(EncType type, const crypto::X25519KeyPair& ephemeral,
                              const crypto::X25519PublicKey& hop) {
    return LayerKey(type, crypto::x25519_shared_secret(ephemeral, hop), ephemeral.public_key, hop);
}

LayerKey LayerKey::for_hop(EncType type, const crypto::X25519KeyPair& hop,
                           const crypto::X25519PublicKey& ephemeral) {
    return LayerKey(type, crypto::x25519_shared_secret(hop, ephemeral), ephemeral, hop.public_key);
}

Bytes LayerKey::encrypt(ByteView plaintext, crypto::RandomSource& random) const {
    if (type_ == EncType::aes_gcm) {
        const auto iv = random.bytes<crypto::kAesGcmNonceSize>();
        return concat({iv, crypto::aes256gcm_encrypt(key_, iv, plaintext)});
    }
    const auto nonce = random.bytes<crypto::kXChaChaNonceSize>();
    return concat({nonce, crypto::xchacha20poly1305_encrypt(key_, nonce, plaintext)});
}

std::optional<Bytes> LayerKey::decrypt(ByteView wire) const {
    const std::size_t n = nonce_size(type_);
    if (wire.size() < n + crypto::kAeadTagSize)
        return std::nullopt;
    if (type_ == EncType::aes_gcm) {
        FixedBytes<crypto::kAesGcmNonceSize> iv;
        std::copy_n(wire.begin(), iv.size(), iv.begin());
        return crypto::aes256gcm_decrypt(key_, iv, wire.subspan(n));
    }
    FixedBytes<crypto::kXChaChaNonceSize> nonce;
    std::copy_n(wire.begin(), nonce.size(), nonce.begin());
    return crypto::xchacha20poly1305_decrypt(key_, nonce, wire.subspan(n));
}

}  // namespace sessionsim::onion
