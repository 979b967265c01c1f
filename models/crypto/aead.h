// Authenticated encryption: AES-256-GCM and XChaCha20-Poly1305 (IETF), raw ciphertext||tag.
// Decryption failures are expected events in the protocol (a node answers "400 Invalid
// ciphertext"), so they come back as std::nullopt rather than exceptions.
#pragma once

#include <optional>

#include "models/common/bytes.h"
#include "models/crypto/secret_bytes.h"

namespace sessionsim::crypto {

using AeadKey = SecretBytes<32>;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kAesGcmNonceSize = 12;
inline constexpr std::size_t kXChaChaNonceSize = 24;

/// True if this CPU can run libsodium's AES-256-GCM (it needs AES-NI and PCLMUL).
bool aes256gcm_available();

/// ciphertext || tag(16). Throws CryptoError if AES-GCM is unavailable on this CPU.
Bytes aes256gcm_encrypt(const AeadKey& key, const FixedBytes<kAesGcmNonceSize>& nonce,
                        ByteView plaintext, ByteView associated_data = {});
std::optional<Bytes> aes256gcm_decrypt(const AeadKey& key,
                                       const FixedBytes<kAesGcmNonceSize>& nonce,
                                       ByteView ciphertext_and_tag, ByteView associated_data = {});

/// ciphertext || tag(16).
Bytes xchacha20poly1305_encrypt(const AeadKey& key, const FixedBytes<kXChaChaNonceSize>& nonce,
                                ByteView plaintext, ByteView associated_data = {});
std::optional<Bytes> xchacha20poly1305_decrypt(const AeadKey& key,
                                               const FixedBytes<kXChaChaNonceSize>& nonce,
                                               ByteView ciphertext_and_tag,
                                               ByteView associated_data = {});

}  // namespace sessionsim::crypto
