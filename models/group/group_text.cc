#include "models/group/group_text.h"

#include "models/group/group_message.h"
#include "models/message/envelope.h"

namespace sessionsim::group {

Bytes compose_group_text(const identity::Identity& sender, const identity::AccountId& group,
                         const crypto::AeadKey& key, std::string_view text,
                         std::uint64_t timestamp_ms, crypto::RandomSource& random) {
    const Bytes content = message::make_text_content(text, timestamp_ms);
    const Bytes envelope = message::make_envelope(message::kEnvelopeClosedGroupMessage, content,
                                                  timestamp_ms, group.to_hex());
    return encrypt_group_message(envelope, sender.ed25519(), key, random);
}

message::ReceivedText open_group_text(ByteView stored, std::span<const crypto::AeadKey> keys) {
    const GroupMessage opened = decrypt_group_message(stored, keys);
    const message::Envelope envelope = message::unwrap_envelope(opened.data);
    if (envelope.type != message::kEnvelopeClosedGroupMessage)
        throw InvalidInput("group message envelope is not of type CLOSED_GROUP_MESSAGE (7)");
    const auto content = message::parse_text_content(envelope.content);
    return {content.body, opened.sender, envelope.timestamp_ms, content.attachments};
}

}  // namespace sessionsim::group
