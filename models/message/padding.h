// Content padding before encryption, so message sizes leak only a 160-byte bucket.
#pragma once

#include <cstddef>

#include "models/common/bytes.h"

namespace sessionsim::message {

inline constexpr std::size_t kPaddingBlock = 160;

/// libsession pad_message: append 0x80 then zeros up to (len+1) rounded up to a multiple of 160,
/// plus one more block when (len+1) is already a multiple.
std::size_t padded_length(std::size_t content_length);
Bytes pad_message(ByteView content);

/// Old desktop addMessagePadding: ceil((len+2)/160)*160 - 1.
std::size_t legacy_padded_length(std::size_t content_length);

/// Strips trailing zeros and then one 0x80. Unpadded input (no 0x80 after the zeros) is
/// returned unchanged, as the clients tolerate it.
Bytes unpad_message(ByteView padded);

}  // namespace sessionsim::message
