// ONS (Session name service) lookups: the chain stores a Session ID encrypted under the name.
//   key = BLAKE2b-256(name, key = BLAKE2b-256(name)); XChaCha20-Poly1305 with the given nonce.
#pragma once

#include <string>

#include "models/common/bytes.h"
#include "models/identity/account_id.h"

namespace sessionsim::message {

/// Decrypts an ONS response for a (lower-case) name. Throws InvalidInput if it does not open.
identity::AccountId decrypt_ons_response(std::string_view name, ByteView ciphertext,
                                         const FixedBytes<24>& nonce);

}  // namespace sessionsim::message
