// A group text message end to end: Content{dataMessage} inside a bare Envelope of type
// CLOSED_GROUP_MESSAGE (source: the group), the whole Envelope encrypted with the group's key
// (group_message.h) and stored in the group's namespace 11.
#pragma once

#include <span>
#include <string_view>

#include "models/crypto/aead.h"
#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "models/message/one_to_one.h"

namespace sessionsim::group {

Bytes compose_group_text(const identity::Identity& sender, const identity::AccountId& group,
                         const crypto::AeadKey& key, std::string_view text,
                         std::uint64_t timestamp_ms, crypto::RandomSource& random);

/// Throws InvalidInput naming the step that failed (decryption, signature, envelope, content).
message::ReceivedText open_group_text(ByteView stored, std::span<const crypto::AeadKey> keys);

}  // namespace sessionsim::group
