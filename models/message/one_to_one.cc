#include "models/message/one_to_one.h"

#include "models/message/envelope.h"
#include "models/message/padding.h"
#include "models/message/session_encrypt.h"

namespace sessionsim::message {

Bytes compose_text_message(const identity::Identity& sender,
                           const crypto::X25519PublicKey& recipient, std::string_view text,
                           std::uint64_t timestamp_ms, crypto::RandomSource& random,
                           const std::vector<AttachmentPointer>& attachments) {
    const Bytes padded = pad_message(make_text_content(text, timestamp_ms, attachments));
    return wrap_envelope(encrypt_for_recipient(sender, recipient, padded, random), timestamp_ms);
}

ReceivedText open_text_message(const identity::Identity& recipient, ByteView stored) {
    const Envelope envelope = unwrap_envelope(stored);
    const DecryptedMessage decrypted = decrypt_incoming(recipient, envelope.content);
    const TextContent content = parse_text_content(unpad_message(decrypted.message));
    return {content.body, decrypted.sender_session_id, envelope.timestamp_ms, content.attachments};
}

}  // namespace sessionsim::message
