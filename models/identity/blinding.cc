#include "models/identity/blinding.h"

#include <sodium/crypto_core_ed25519.h>
#include <sodium/crypto_hash_sha512.h>
#include <sodium/crypto_scalarmult_ed25519.h>

#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/mode.h"
#include "models/crypto/modelled.h"

namespace sessionsim::identity {

BlindedKeys blind15(const crypto::Ed25519SecretKey& user, const crypto::Ed25519PublicKey& server) {
    const Bytes h = crypto::blake2b(64, {server});
    std::uint8_t k[32];
    crypto_core_ed25519_scalar_reduce(k, h.data());
    const auto x = crypto::ed25519_sk_to_x25519(user);
    BlindedKeys out;
    crypto_core_ed25519_scalar_mul(out.scalar.data(), k, x.data());
    if (crypto_scalarmult_ed25519_base_noclamp(out.public_key.data(), out.scalar.data()) != 0)
        throw CryptoError("blind15: the blinded key is the identity point");
    return out;
}

crypto::Ed25519Signature blind15_sign(const crypto::Ed25519SecretKey& user,
                                      const crypto::Ed25519PublicKey& server, ByteView message) {
    const auto blinded = blind15(user, server);
    if (crypto::crypto_mode() == crypto::CryptoMode::modelled)
        return crypto::modelled::ed25519_signature(blinded.public_key, message);
    std::uint8_t hrh[64];
    crypto_hash_sha512(hrh, user.data(), 64);
    const auto sha512_of = [](std::initializer_list<ByteView> parts, std::uint8_t* out) {
        crypto_hash_sha512_state st;
        crypto_hash_sha512_init(&st);
        for (const auto p : parts)
            crypto_hash_sha512_update(&st, p.data(), p.size());
        crypto_hash_sha512_final(&st, out);
    };
    std::uint8_t r_hash[64], r[32];
    sha512_of({ByteView(hrh + 32, 32), blinded.public_key, message}, r_hash);
    crypto_core_ed25519_scalar_reduce(r, r_hash);
    crypto::Ed25519Signature sig;
    crypto_scalarmult_ed25519_base_noclamp(sig.data(), r);
    std::uint8_t hram[64];
    sha512_of({ByteView(sig.data(), 32), blinded.public_key, message}, hram);
    std::uint8_t* s = sig.data() + 32;
    crypto_core_ed25519_scalar_reduce(s, hram);
    crypto_core_ed25519_scalar_mul(s, s, blinded.scalar.data());
    crypto_core_ed25519_scalar_add(s, s, r);
    return sig;
}

}  // namespace sessionsim::identity
