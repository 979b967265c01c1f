#include "models/storage/subaccount.h"

#include <algorithm>

namespace sessionsim::storage {

SubaccountToken SubaccountToken::make(std::uint8_t prefix, SubaccountAccess flags,
                                      const crypto::Ed25519PublicKey& key) {
    SubaccountToken t;
    t.bytes[0] = prefix;
    t.bytes[1] = static_cast<std::uint8_t>(flags);
    std::copy(key.begin(), key.end(), t.bytes.begin() + 4);
    return t;
}

crypto::Ed25519PublicKey SubaccountToken::key() const {
    crypto::Ed25519PublicKey k;
    std::copy(bytes.begin() + 4, bytes.end(), k.begin());
    return k;
}

bool SubaccountToken::allows(SubaccountAccess needed) const {
    const auto n = static_cast<std::uint8_t>(needed);
    return (flags() & n) == n;
}

SignedSubaccount make_subaccount(const crypto::Ed25519SecretKey& owner, std::uint8_t prefix,
                                 SubaccountAccess flags, const crypto::Ed25519PublicKey& key) {
    SignedSubaccount s{SubaccountToken::make(prefix, flags, key), {}};
    s.signature = crypto::ed25519_sign(owner, s.token.bytes);
    return s;
}

bool subaccount_grants(const identity::AccountId& account, const SignedSubaccount& subaccount,
                       SubaccountAccess needed) {
    const auto& token = subaccount.token;
    if (token.prefix() != account.prefix && !token.allows(SubaccountAccess::any_prefix))
        return false;
    if (!token.allows(needed))
        return false;
    return crypto::ed25519_verify(account.key, subaccount.signature, token.bytes);
}

void RevocationList::revoke(const SubaccountToken& token) {
    if (revoked(token))
        return;
    tokens_.push_back(token);
    while (tokens_.size() > kMaxSubaccountRevocations)
        tokens_.pop_front();
}

bool RevocationList::revoked(const SubaccountToken& token) const {
    return std::find(tokens_.begin(), tokens_.end(), token) != tokens_.end();
}

}  // namespace sessionsim::storage
