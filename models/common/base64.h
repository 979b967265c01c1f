// Standard-alphabet base64 (RFC 4648 §4), as the storage server and clients use it.
#pragma once

#include <string>
#include <string_view>

#include "models/common/bytes.h"

namespace sessionsim {

/// Padded base64.
std::string to_base64(ByteView data);

/// Unpadded base64 (message hashes are written this way).
std::string to_base64_nopad(ByteView data);

/// Decodes standard base64, padded or not. Throws InvalidInput naming `what` on bad characters,
/// bad padding or a truncated final group.
Bytes from_base64(std::string_view text, std::string_view what = "base64");

/// True if `text` decodes as base64.
bool is_base64(std::string_view text);

}  // namespace sessionsim
