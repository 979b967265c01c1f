#include "models/identity/keys.h"

#include <algorithm>

namespace sessionsim::identity {

Identity Identity::from_account_seed(const AccountSeed& seed16) {
    crypto::Ed25519Seed padded;  // zero-initialised
    std::copy(seed16.view().begin(), seed16.view().end(), padded.data());
    return from_ed25519_seed(padded);
}

Identity Identity::from_ed25519_seed(const crypto::Ed25519Seed& seed32) {
    Identity id;
    id.ed25519_seed_ = seed32;
    id.ed25519_ = crypto::ed25519_from_seed(seed32);
    id.x25519_.public_key = crypto::ed25519_pk_to_x25519(id.ed25519_.public_key);
    id.x25519_.secret_key = crypto::ed25519_sk_to_x25519(id.ed25519_.secret_key);
    return id;
}

AccountId Identity::session_id() const {
    return AccountId{.prefix = static_cast<std::uint8_t>(AccountPrefix::standard),
                     .key = x25519_.public_key};
}

bool Identity::has_short_seed() const {
    const auto seed = ed25519_seed_.view();
    return std::all_of(seed.begin() + 16, seed.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace sessionsim::identity
