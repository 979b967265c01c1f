// A one-to-one text message end to end, as a client sends and receives it:
// Content -> pad (160) -> sign-then-seal -> Envelope -> WebSocketMessage -> bytes to store.
#pragma once

#include <cstdint>
#include <string>

#include "models/common/bytes.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "models/message/envelope.h"

namespace sessionsim::message {

Bytes compose_text_message(const identity::Identity& sender,
                           const crypto::X25519PublicKey& recipient, std::string_view text,
                           std::uint64_t timestamp_ms, crypto::RandomSource& random,
                           const std::vector<AttachmentPointer>& attachments = {});

struct ReceivedText {
    std::string text;
    identity::AccountId sender;
    std::uint64_t timestamp_ms = 0;
    std::vector<AttachmentPointer> attachments;
};

/// Throws InvalidInput (DecryptError for crypto failures) naming the step that failed.
ReceivedText open_text_message(const identity::Identity& recipient, ByteView stored);

}  // namespace sessionsim::message
