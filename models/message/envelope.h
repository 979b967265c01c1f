// The protobuf layers around an encrypted message, as the clients put them on the wire:
//   Content{dataMessage{body, timestamp}, sigTimestamp}            (padded, then encrypted)
//   Envelope{type SESSION_MESSAGE, timestamp, sourceDevice 1, content = ciphertext}
//   WebSocketMessage{type REQUEST, request{body = Envelope}}        (stored in namespace 0)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/bytes.h"
#include "models/common/errors.h"

namespace sessionsim::message {

inline constexpr int kEnvelopeSessionMessage = 6;
inline constexpr int kEnvelopeClosedGroupMessage = 7;

/// Envelope wrapped in a WebSocketMessage (libsession leaves verb and path empty).
Bytes wrap_envelope(ByteView ciphertext, std::uint64_t timestamp_ms);

/// A bare Envelope (groups v2 encrypt the whole Envelope, so it is not wrapped).
Bytes make_envelope(int type, ByteView content, std::uint64_t timestamp_ms,
                    const std::optional<std::string>& source);

struct Envelope {
    int type = kEnvelopeSessionMessage;
    std::uint64_t timestamp_ms = 0;
    Bytes content;
    std::optional<std::string> source;
};

/// Accepts a WebSocketMessage REQUEST carrying an Envelope, or a bare Envelope (groups v2).
/// Throws InvalidInput if neither parses.
Envelope unwrap_envelope(ByteView data);

/// An attachment as a message points to it: where to download it, the key that opens it, and
/// the SHA-256 of the uploaded (encrypted) bytes.
struct AttachmentPointer {
    std::string url;
    Bytes key;
    Bytes digest;
    std::uint32_t size = 0;  ///< plaintext bytes
    std::string content_type = "application/octet-stream";
    friend bool operator==(const AttachmentPointer&, const AttachmentPointer&) = default;
};

/// Content{dataMessage{body, attachments, timestamp}, sigTimestamp}.
Bytes make_text_content(std::string_view text, std::uint64_t timestamp_ms,
                        const std::vector<AttachmentPointer>& attachments = {});

struct TextContent {
    std::string body;
    std::uint64_t sig_timestamp_ms = 0;
    std::vector<AttachmentPointer> attachments;
};
/// Throws InvalidInput if the bytes are not a Content with a data message.
TextContent parse_text_content(ByteView content);

}  // namespace sessionsim::message
