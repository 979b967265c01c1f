// The storage server's message hash: base64-nopad(BLAKE2b-256(prefix || key32 || ns_str || data)).
// It names a message everywhere: de-duplication, last_hash paging, deletes.
#pragma once

#include <string>

#include "models/common/bytes.h"
#include "models/identity/account_id.h"
#include "models/storage/namespaces.h"

namespace sessionsim::storage {

/// 43 characters of unpadded standard base64.
std::string message_hash(const identity::AccountId& owner, Namespace ns, ByteView data);

inline constexpr std::size_t kMessageHashLength = 43;

}  // namespace sessionsim::storage
