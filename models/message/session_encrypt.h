// One-to-one message encryption (libsession encrypt_for_recipient): sign, then seal.
//   sig   = Ed25519(sender, M || sender_ed_pk || recipient_x_pk)
//   inner = M || sender_ed_pk || sig
//   out   = sealed box of inner to the recipient's X25519 key
// Decryption opens, verifies the signature, and recovers the sender's Session ID.
#pragma once

#include "models/common/bytes.h"
#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"

namespace sessionsim::message {

/// A message that fails to open or verify. The reason names which step failed.
class DecryptError : public InvalidInput {
public:
    using InvalidInput::InvalidInput;
};

/// Sealed with a fresh ephemeral key drawn from `random`.
Bytes encrypt_for_recipient(const identity::Identity& sender,
                            const crypto::X25519PublicKey& recipient, ByteView message,
                            crypto::RandomSource& random);

/// libsession's deterministic variant: the ephemeral key comes from
/// BLAKE2b-256(key = "SessionBoxEphemeralHashKey", sender_seed || recipient || message).
Bytes encrypt_for_recipient_deterministic(const identity::Identity& sender,
                                          const crypto::X25519PublicKey& recipient,
                                          ByteView message);

struct DecryptedMessage {
    Bytes message;
    crypto::Ed25519PublicKey sender_ed25519{};
    identity::AccountId sender_session_id;
};

/// Opens and verifies; throws DecryptError on any failure.
DecryptedMessage decrypt_incoming(const identity::Identity& recipient, ByteView ciphertext);

}  // namespace sessionsim::message
