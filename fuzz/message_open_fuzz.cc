// A recipient opening whatever its swarm holds: envelope, decryption, unpadding, content.
// Oracles (abort on violation, see fuzz::require), for each layer that has an encoder:
//   - padding: re-padding what unpadded (pad_message) unpads to the same content, at the
//     padded length the rule gives.
//   - envelope: an envelope rebuilt from the parsed fields (make_envelope) unwraps to the same
//     type, timestamp, content and source.
//   - content: a Content rebuilt from the parsed text, signature timestamp and attachments
//     (make_text_content) parses to the same.
// Opening (decryption) has no such oracle: a fuzzer cannot forge a message that decrypts.
#include "fuzz/fuzz_support.h"
#include "models/identity/keys.h"
#include "models/message/envelope.h"
#include "models/message/one_to_one.h"
#include "models/message/padding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    static const auto recipient =
        identity::Identity::from_ed25519_seed(crypto::derived_seed(1, "client ", 0));
    const auto input = fuzz::bytes_of(data, size);
    fuzz::expect_precise_errors([&] { (void)message::open_text_message(recipient, input); });

    if (const auto content =
            fuzz::parsed_or_nullopt([&] { return message::unpad_message(input); })) {
        const Bytes padded = message::pad_message(*content);
        fuzz::require(padded.size() == message::padded_length(content->size()),
                      "padding: pad_message pads to padded_length");
        fuzz::require(message::unpad_message(padded) == *content,
                      "padding: re-padding unpads to the same content");
    }
    if (const auto envelope =
            fuzz::parsed_or_nullopt([&] { return message::unwrap_envelope(input); })) {
        const auto again = message::unwrap_envelope(message::make_envelope(
            envelope->type, envelope->content, envelope->timestamp_ms, envelope->source));
        fuzz::require(again.type == envelope->type &&
                          again.timestamp_ms == envelope->timestamp_ms &&
                          again.content == envelope->content && again.source == envelope->source,
                      "envelope: rebuilding a parsed envelope unwraps to the same fields");
    }
    if (const auto text =
            fuzz::parsed_or_nullopt([&] { return message::parse_text_content(input); })) {
        const auto again = message::parse_text_content(
            message::make_text_content(text->body, text->sig_timestamp_ms, text->attachments));
        fuzz::require(again.body == text->body &&
                          again.sig_timestamp_ms == text->sig_timestamp_ms &&
                          again.attachments == text->attachments,
                      "content: rebuilding parsed content parses to the same text");
    }
    return 0;
}
