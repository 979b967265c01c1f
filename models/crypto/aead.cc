#include "models/crypto/aead.h"

#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {
namespace {

void require_aes_gcm() {
    if (!aes256gcm_available()) {
        throw CryptoError("AES-256-GCM needs a CPU with AES-NI; use enc_type xchacha20 instead");
    }
}

}  // namespace

bool aes256gcm_available() {
    ensure_sodium();
    return crypto_aead_aes256gcm_is_available() != 0;
}

Bytes aes256gcm_encrypt(const AeadKey& key, const FixedBytes<kAesGcmNonceSize>& nonce,
                        ByteView plaintext, ByteView associated_data) {
    require_aes_gcm();
    Bytes out(plaintext.size() + kAeadTagSize);
    unsigned long long out_len = 0;
    crypto_aead_aes256gcm_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(),
                                  associated_data.data(), associated_data.size(), nullptr,
                                  nonce.data(), key.data());
    out.resize(out_len);
    return out;
}

std::optional<Bytes> aes256gcm_decrypt(const AeadKey& key,
                                       const FixedBytes<kAesGcmNonceSize>& nonce,
                                       ByteView ciphertext_and_tag, ByteView associated_data) {
    require_aes_gcm();
    if (ciphertext_and_tag.size() < kAeadTagSize)
        return std::nullopt;
    Bytes out(ciphertext_and_tag.size() - kAeadTagSize);
    unsigned long long out_len = 0;
    if (crypto_aead_aes256gcm_decrypt(out.data(), &out_len, nullptr, ciphertext_and_tag.data(),
                                      ciphertext_and_tag.size(), associated_data.data(),
                                      associated_data.size(), nonce.data(), key.data()) != 0) {
        return std::nullopt;
    }
    out.resize(out_len);
    return out;
}

Bytes xchacha20poly1305_encrypt(const AeadKey& key, const FixedBytes<kXChaChaNonceSize>& nonce,
                                ByteView plaintext, ByteView associated_data) {
    ensure_sodium();
    Bytes out(plaintext.size() + kAeadTagSize);
    unsigned long long out_len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data(), &out_len, plaintext.data(), plaintext.size(), associated_data.data(),
        associated_data.size(), nullptr, nonce.data(), key.data());
    out.resize(out_len);
    return out;
}

std::optional<Bytes> xchacha20poly1305_decrypt(const AeadKey& key,
                                               const FixedBytes<kXChaChaNonceSize>& nonce,
                                               ByteView ciphertext_and_tag,
                                               ByteView associated_data) {
    ensure_sodium();
    if (ciphertext_and_tag.size() < kAeadTagSize)
        return std::nullopt;
    Bytes out(ciphertext_and_tag.size() - kAeadTagSize);
    unsigned long long out_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            out.data(), &out_len, nullptr, ciphertext_and_tag.data(), ciphertext_and_tag.size(),
            associated_data.data(), associated_data.size(), nonce.data(), key.data()) != 0) {
        return std::nullopt;
    }
    out.resize(out_len);
    return out;
}

}  // namespace sessionsim::crypto
