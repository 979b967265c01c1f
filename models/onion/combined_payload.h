// The container every onion layer uses: [N: u32 little-endian][N bytes][UTF-8 JSON].
// The N bytes are the next layer's ciphertext (or the request body at the final hop); the JSON
// says where they go.
#pragma once

#include <nlohmann/json.hpp>

#include "models/common/bytes.h"
#include "models/common/errors.h"

namespace sessionsim::onion {

struct CombinedPayload {
    Bytes inner;
    nlohmann::json routing;
};

/// [len][inner][json.dump()]: compact JSON with sorted keys, as libsession writes it.
Bytes pack_combined(ByteView inner, const nlohmann::json& routing);

/// Splits a combined payload. Throws InvalidInput with the storage server's wording when the
/// length prefix is missing or overruns, or the JSON does not parse to an object.
CombinedPayload unpack_combined(ByteView data);

}  // namespace sessionsim::onion
