#include "models/crypto/sealed_box.h"

#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {

Bytes sealed_box_seal(ByteView message, const X25519PublicKey& recipient) {
    ensure_sodium();
    Bytes out(message.size() + crypto_box_SEALBYTES);
    crypto_box_seal(out.data(), message.data(), message.size(), recipient.data());
    return out;
}

namespace {

/// crypto_box's key for a pair: HSalsa20 of the X25519 shared secret (crypto_box_beforenm), with
/// the shared secret from x25519_shared_secret so that the modelled mode applies.
SecretBytes<crypto_box_BEFORENMBYTES> box_key(const X25519KeyPair& own,
                                              const X25519PublicKey& peer) {
    static constexpr std::uint8_t kZero[16] = {};
    const auto shared = x25519_shared_secret(own, peer);
    SecretBytes<crypto_box_BEFORENMBYTES> key;
    crypto_core_hsalsa20(key.data(), kZero, shared.data(), nullptr);
    return key;
}

Bytes sealed_box_nonce(const X25519PublicKey& ephemeral, const X25519PublicKey& recipient) {
    return blake2b(crypto_box_NONCEBYTES, {ephemeral, recipient});
}

}  // namespace

Bytes sealed_box_seal_with(ByteView message, const X25519PublicKey& recipient,
                           const X25519KeyPair& ephemeral) {
    ensure_sodium();
    SecretBytes<crypto_box_BEFORENMBYTES> key;
    try {
        key = box_key(ephemeral, recipient);
    } catch (const CryptoError&) {
        throw CryptoError("sealed box: recipient key " + to_hex(recipient) + " is unusable");
    }
    const Bytes nonce = sealed_box_nonce(ephemeral.public_key, recipient);
    Bytes out(crypto_box_PUBLICKEYBYTES + crypto_box_MACBYTES + message.size());
    std::copy(ephemeral.public_key.begin(), ephemeral.public_key.end(), out.begin());
    crypto_box_easy_afternm(out.data() + crypto_box_PUBLICKEYBYTES, message.data(), message.size(),
                            nonce.data(), key.data());
    return out;
}

std::optional<Bytes> sealed_box_open(ByteView sealed, const X25519KeyPair& recipient) {
    ensure_sodium();
    if (sealed.size() < crypto_box_SEALBYTES)
        return std::nullopt;
    X25519PublicKey ephemeral;
    std::copy_n(sealed.begin(), ephemeral.size(), ephemeral.begin());
    SecretBytes<crypto_box_BEFORENMBYTES> key;
    try {
        key = box_key(recipient, ephemeral);
    } catch (const CryptoError&) {
        return std::nullopt;  // a low-order ephemeral key: crypto_box_seal_open refuses it too
    }
    const Bytes nonce = sealed_box_nonce(ephemeral, recipient.public_key);
    Bytes out(sealed.size() - crypto_box_SEALBYTES);
    const ByteView boxed = sealed.subspan(crypto_box_PUBLICKEYBYTES);
    if (crypto_box_open_easy_afternm(out.data(), boxed.data(), boxed.size(), nonce.data(),
                                     key.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

}  // namespace sessionsim::crypto
