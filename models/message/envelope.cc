#include "models/message/envelope.h"

#include "models/message/session_protos.pb.h"

namespace sessionsim::message {
namespace {

std::string as_string(ByteView b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
Bytes as_bytes_copy(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

}  // namespace

Bytes wrap_envelope(ByteView ciphertext, std::uint64_t timestamp_ms) {
    proto::Envelope env;
    env.set_type(proto::Envelope::SESSION_MESSAGE);
    env.set_sourcedevice(1);
    env.set_timestamp(timestamp_ms);
    env.set_content(as_string(ciphertext));
    proto::WebSocketMessage ws;
    ws.set_type(proto::WebSocketMessage::REQUEST);
    ws.mutable_request()->set_body(env.SerializeAsString());
    return as_bytes_copy(ws.SerializeAsString());
}

Bytes make_envelope(int type, ByteView content, std::uint64_t timestamp_ms,
                    const std::optional<std::string>& source) {
    proto::Envelope env;
    env.set_type(static_cast<proto::Envelope::Type>(type));
    env.set_sourcedevice(1);
    env.set_timestamp(timestamp_ms);
    env.set_content(as_string(content));
    if (source)
        env.set_source(*source);
    return as_bytes_copy(env.SerializeAsString());
}

Envelope unwrap_envelope(ByteView data) {
    proto::Envelope env;
    proto::WebSocketMessage ws;
    const std::string raw = as_string(data);
    const bool in_websocket = ws.ParseFromString(raw) && ws.has_request() &&
                              ws.request().has_body() && env.ParseFromString(ws.request().body());
    if (!in_websocket && !env.ParseFromString(raw)) {
        throw InvalidInput("message is neither a WebSocketMessage nor an Envelope");
    }
    Envelope out;
    out.type = env.type();
    out.timestamp_ms = env.timestamp();
    out.content = as_bytes_copy(env.content());
    if (env.has_source())
        out.source = env.source();
    return out;
}

Bytes make_text_content(std::string_view text, std::uint64_t timestamp_ms,
                        const std::vector<AttachmentPointer>& attachments) {
    proto::Content content;
    content.mutable_datamessage()->set_body(std::string(text));
    for (const auto& a : attachments) {
        auto* p = content.mutable_datamessage()->add_attachments();
        p->set_deprecated_id(0);
        p->set_contenttype(a.content_type);
        p->set_key(as_string(a.key));
        p->set_size(a.size);
        p->set_digest(as_string(a.digest));
        p->set_url(a.url);
    }
    content.mutable_datamessage()->set_timestamp(timestamp_ms);
    content.set_sigtimestamp(timestamp_ms);
    return as_bytes_copy(content.SerializeAsString());
}

TextContent parse_text_content(ByteView bytes) {
    proto::Content content;
    if (!content.ParseFromString(as_string(bytes)) || !content.has_datamessage()) {
        throw InvalidInput("decrypted content is not a Content protobuf with a data message");
    }
    TextContent out{content.datamessage().body(), content.sigtimestamp(), {}};
    for (const auto& p : content.datamessage().attachments()) {
        out.attachments.push_back({p.url(), as_bytes_copy(p.key()), as_bytes_copy(p.digest()),
                                   p.size(), p.contenttype()});
    }
    return out;
}

}  // namespace sessionsim::message
