#include "models/client/poll_state.h"

namespace sessionsim::client {

const std::string& PollState::last_hash(const crypto::Ed25519PublicKey& node,
                                        const identity::AccountId& account,
                                        storage::Namespace ns) const {
    static const std::string none;
    const auto it = last_hash_.find({node, account, ns});
    return it == last_hash_.end() ? none : it->second;
}

void PollState::set_last_hash(const crypto::Ed25519PublicKey& node,
                              const identity::AccountId& account, storage::Namespace ns,
                              std::string hash) {
    last_hash_[{node, account, ns}] = std::move(hash);
}

bool PollState::first_sighting(const std::string& hash, std::int64_t expiry_ms) {
    return seen_.emplace(hash, expiry_ms).second;
}

void PollState::prune(std::int64_t now_ms) {
    for (auto it = seen_.begin(); it != seen_.end();) {
        it = it->second <= now_ms ? seen_.erase(it) : std::next(it);
    }
}

}  // namespace sessionsim::client
