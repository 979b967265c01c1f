// Groups v2 message encryption (libsession Keys::encrypt_message / decrypt_message):
//   body  = bencode {"": 1, "a": sender Ed25519 pk, "d": data | "z": zstd(data), "s": sig(data)}
//   pad   = zero bytes until 40 + len is a multiple of 256
//   wire  = nonce(24) || XChaCha20-Poly1305(pad(body), group key)
// The signature covers the bytes carried ("d" or the compressed "z"). In groups v2 the plaintext
// is a whole Envelope of type CLOSED_GROUP_MESSAGE, stored in the group's namespace 11.
#pragma once

#include <cstddef>
#include <span>

#include "models/common/bytes.h"
#include "models/crypto/aead.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/random.h"
#include "models/identity/account_id.h"

namespace sessionsim::group {

inline constexpr std::size_t kMaxGroupPlaintext = 1'000'000;
inline constexpr std::size_t kGroupMessagePadding = 256;

/// Throws InvalidInput if the plaintext exceeds 1,000,000 bytes.
Bytes encrypt_group_message(ByteView plaintext, const crypto::Ed25519KeyPair& sender,
                            const crypto::AeadKey& group_key, crypto::RandomSource& random,
                            bool compress = true);

struct GroupMessage {
    identity::AccountId sender;  ///< 05 Session ID of the author
    Bytes data;
};

/// Tries every key (newest first, as given). Throws InvalidInput with libsession's reason:
/// "unable to decrypt ciphertext with any current group keys", "message signature failed
/// validation", ...
GroupMessage decrypt_group_message(ByteView ciphertext, std::span<const crypto::AeadKey> keys);

}  // namespace sessionsim::group
