// What a device receives from the push server: nonce(24) || XChaCha20-Poly1305(payload) under
// the subscription's enc_key, the payload padded with trailing zero bytes.
#pragma once

#include "models/common/bytes.h"

namespace sessionsim::message {

/// Decrypts and strips the zero padding. Throws InvalidInput if it does not open.
Bytes decrypt_push_notification(ByteView payload, const FixedBytes<32>& enc_key);

/// The server side: pads with zeros to a multiple of `pad_to` and encrypts with `nonce`.
Bytes encrypt_push_notification(ByteView plaintext, const FixedBytes<32>& enc_key,
                                const FixedBytes<24>& nonce, std::size_t pad_to = 256);

}  // namespace sessionsim::message
