#include "models/storage/message_hash.h"

#include "models/common/base64.h"
#include "models/crypto/hash.h"

namespace sessionsim::storage {

std::string message_hash(const identity::AccountId& owner, Namespace ns, ByteView data) {
    const FixedBytes<1> prefix{owner.prefix};
    const std::string ns_str = namespace_string(ns);
    return to_base64_nopad(crypto::blake2b_256({prefix, owner.key, as_bytes(ns_str), data}));
}

}  // namespace sessionsim::storage
