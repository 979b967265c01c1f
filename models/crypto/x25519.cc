#include "models/crypto/x25519.h"

#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {

X25519KeyPair x25519_from_secret(const X25519SecretKey& secret_key) {
    ensure_sodium();
    X25519KeyPair kp{.public_key = {}, .secret_key = secret_key};
    crypto_scalarmult_base(kp.public_key.data(), secret_key.data());
    return kp;
}

X25519KeyPair x25519_from_seed(const SecretBytes<32>& seed) {
    ensure_sodium();
    X25519KeyPair kp;
    crypto_box_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
    return kp;
}

SecretBytes<32> x25519_shared_secret(const X25519SecretKey& secret_key,
                                     const X25519PublicKey& peer_public_key) {
    ensure_sodium();
    SecretBytes<32> shared;
    if (crypto_scalarmult(shared.data(), secret_key.data(), peer_public_key.data()) != 0) {
        throw CryptoError("X25519 with a low-order public key " + to_hex(peer_public_key));
    }
    return shared;
}

}  // namespace sessionsim::crypto
