// libsession config messages (user profile, contacts, ... in namespaces 2-5):
//   key   = BLAKE2b-256(key_base || u64be(len(msg)) || domain)
//   nonce = BLAKE2b-192(msg, key = "libsessionutil-config-encrypted-" || domain)
//   out   = XChaCha20-Poly1305(msg) || nonce
// key_base is the owner's 32-byte Ed25519 seed (user configs) or the group key.
#pragma once

#include <string_view>

#include "models/common/bytes.h"

namespace sessionsim::message {

/// `domain` is 1-24 characters. Throws InvalidInput otherwise.
Bytes encrypt_config_message(ByteView message, const FixedBytes<32>& key_base,
                             std::string_view domain);

/// Throws InvalidInput if it does not decrypt.
Bytes decrypt_config_message(ByteView ciphertext, const FixedBytes<32>& key_base,
                             std::string_view domain);

}  // namespace sessionsim::message
