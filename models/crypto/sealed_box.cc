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

Bytes sealed_box_seal_with(ByteView message, const X25519PublicKey& recipient,
                           const X25519KeyPair& ephemeral) {
    ensure_sodium();
    const Bytes nonce = blake2b(crypto_box_NONCEBYTES, {ephemeral.public_key, recipient});
    Bytes out(crypto_box_PUBLICKEYBYTES + crypto_box_MACBYTES + message.size());
    std::copy(ephemeral.public_key.begin(), ephemeral.public_key.end(), out.begin());
    if (crypto_box_easy(out.data() + crypto_box_PUBLICKEYBYTES, message.data(), message.size(),
                        nonce.data(), recipient.data(), ephemeral.secret_key.data()) != 0) {
        throw CryptoError("sealed box: recipient key " + to_hex(recipient) + " is unusable");
    }
    return out;
}

std::optional<Bytes> sealed_box_open(ByteView sealed, const X25519KeyPair& recipient) {
    ensure_sodium();
    if (sealed.size() < crypto_box_SEALBYTES)
        return std::nullopt;
    Bytes out(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), recipient.public_key.data(),
                             recipient.secret_key.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

}  // namespace sessionsim::crypto
