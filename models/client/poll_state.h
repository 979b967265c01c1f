// What a poller remembers between polls: last_hash per (node, account, namespace), as desktop keeps
// it in its database, and the hashes already delivered, so that the same message fetched from two
// swarm members (or again later) is handed to the user once.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/storage/namespaces.h"

namespace sessionsim::client {

class PollState {
public:
    const std::string& last_hash(const crypto::Ed25519PublicKey& node,
                                 const identity::AccountId& account, storage::Namespace ns) const;
    void set_last_hash(const crypto::Ed25519PublicKey& node, const identity::AccountId& account,
                       storage::Namespace ns, std::string hash);
    /// True the first time a hash is seen; remembers it until `expiry_ms`.
    bool first_sighting(const std::string& hash, std::int64_t expiry_ms);
    /// Forgets hashes whose messages expired (they cannot come back).
    void prune(std::int64_t now_ms);
    std::size_t remembered() const { return seen_.size(); }

private:
    using Key = std::tuple<crypto::Ed25519PublicKey, identity::AccountId, storage::Namespace>;
    std::map<Key, std::string> last_hash_;
    std::map<std::string, std::int64_t> seen_;
};

}  // namespace sessionsim::client
