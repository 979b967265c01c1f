#include "models/message/padding.h"

namespace sessionsim::message {

std::size_t padded_length(std::size_t content_length) {
    const std::size_t with_marker = content_length + 1;
    const std::size_t rounded = (with_marker + kPaddingBlock - 1) / kPaddingBlock * kPaddingBlock;
    return with_marker % kPaddingBlock == 0 ? rounded + kPaddingBlock : rounded;
}

Bytes pad_message(ByteView content) {
    Bytes out(padded_length(content.size()), 0);
    std::copy(content.begin(), content.end(), out.begin());
    out[content.size()] = 0x80;
    return out;
}

std::size_t legacy_padded_length(std::size_t content_length) {
    return (content_length + 2 + kPaddingBlock - 1) / kPaddingBlock * kPaddingBlock - 1;
}

Bytes unpad_message(ByteView padded) {
    std::size_t end = padded.size();
    while (end > 0 && padded[end - 1] == 0)
        --end;
    if (end > 0 && padded[end - 1] == 0x80)
        return Bytes(padded.begin(), padded.begin() + end - 1);
    return Bytes(padded.begin(), padded.end());
}

}  // namespace sessionsim::message
