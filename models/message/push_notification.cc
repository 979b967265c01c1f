#include "models/message/push_notification.h"

#include "models/common/errors.h"
#include "models/crypto/aead.h"

namespace sessionsim::message {

Bytes decrypt_push_notification(ByteView payload, const FixedBytes<32>& enc_key) {
    if (payload.size() < 24 + crypto::kAeadTagSize) {
        throw InvalidInput("push notification payload is too short");
    }
    FixedBytes<24> nonce;
    std::copy_n(payload.begin(), 24, nonce.begin());
    auto plain = crypto::xchacha20poly1305_decrypt(crypto::AeadKey::from(enc_key), nonce,
                                                   payload.subspan(24));
    if (!plain)
        throw InvalidInput("push notification does not decrypt with this key");
    while (!plain->empty() && plain->back() == 0)
        plain->pop_back();
    return std::move(*plain);
}

Bytes encrypt_push_notification(ByteView plaintext, const FixedBytes<32>& enc_key,
                                const FixedBytes<24>& nonce, std::size_t pad_to) {
    Bytes padded(plaintext.begin(), plaintext.end());
    if (pad_to > 0 && padded.size() % pad_to != 0)
        padded.resize(padded.size() + pad_to - padded.size() % pad_to, 0);
    return concat(
        {nonce, crypto::xchacha20poly1305_encrypt(crypto::AeadKey::from(enc_key), nonce, padded)});
}

}  // namespace sessionsim::message
