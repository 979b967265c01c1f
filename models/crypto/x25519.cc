#include "models/crypto/x25519.h"

#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/mode.h"
#include "models/crypto/modelled.h"
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

X25519KeyPair x25519_ephemeral(const X25519SecretKey& secret_key) {
    if (crypto_mode() == CryptoMode::real)
        return x25519_from_secret(secret_key);
    return {.public_key = modelled::x25519_public(secret_key), .secret_key = secret_key};
}

SecretBytes<32> x25519_shared_secret(const X25519KeyPair& own,
                                     const X25519PublicKey& peer_public_key) {
    if (crypto_mode() == CryptoMode::modelled)
        return modelled::x25519_shared(own.public_key, peer_public_key);
    ensure_sodium();
    SecretBytes<32> shared;
    if (crypto_scalarmult(shared.data(), own.secret_key.data(), peer_public_key.data()) != 0) {
        throw CryptoError("X25519 with a low-order public key " + to_hex(peer_public_key));
    }
    return shared;
}

}  // namespace sessionsim::crypto
