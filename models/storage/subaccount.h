// Subaccount authentication (storage server oxenss/common/subaccount_token.h, subaccount.cpp):
// the owner of an account (a group's Ed25519 key) signs a 36-byte token naming another Ed25519
// key and what it may do; requests then carry the token, the owner's signature over it, and a
// request signature by the named key. Groups v2 members read and write the group's swarm this
// way without ever holding the group's key.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"

namespace sessionsim::storage {

/// Permission bits of a token's flags byte.
enum class SubaccountAccess : std::uint8_t {
    none = 0,
    read = 0b0001,        ///< retrieve
    write = 0b0010,       ///< store, extend expiries
    remove = 0b0100,      ///< delete, shorten expiries
    any_prefix = 0b1000,  ///< any network prefix of the same 32 key bytes
};
constexpr SubaccountAccess operator|(SubaccountAccess a, SubaccountAccess b) {
    return static_cast<SubaccountAccess>(static_cast<std::uint8_t>(a) |
                                         static_cast<std::uint8_t>(b));
}

inline constexpr std::size_t kSubaccountTokenSize = 36;
/// The swarm keeps only the most recent revocations (MAX_SUBACCOUNT_TOKENS).
inline constexpr std::size_t kMaxSubaccountRevocations = 50;

/// [network prefix][flags][2 reserved zero bytes][Ed25519 public key].
struct SubaccountToken {
    FixedBytes<kSubaccountTokenSize> bytes{};

    static SubaccountToken make(std::uint8_t prefix, SubaccountAccess flags,
                                const crypto::Ed25519PublicKey& key);
    std::uint8_t prefix() const { return bytes[0]; }
    std::uint8_t flags() const { return bytes[1]; }
    crypto::Ed25519PublicKey key() const;
    bool allows(SubaccountAccess needed) const;
    friend bool operator==(const SubaccountToken&, const SubaccountToken&) = default;
};

/// A token with the account owner's signature over its 36 bytes: what a member is given.
struct SignedSubaccount {
    SubaccountToken token;
    crypto::Ed25519Signature signature{};
};

/// The owner signs a token for `key` (a group admin inviting a member).
SignedSubaccount make_subaccount(const crypto::Ed25519SecretKey& owner, std::uint8_t prefix,
                                 SubaccountAccess flags, const crypto::Ed25519PublicKey& key);

/// The server's check of the token alone: the network prefix matches the account's (or the
/// token has any_prefix), the flags grant `needed`, and the account's 32 bytes, read as an
/// Ed25519 key, signed the token.
bool subaccount_grants(const identity::AccountId& account, const SignedSubaccount& subaccount,
                       SubaccountAccess needed);

/// What a swarm member remembers of an account's revoked tokens: the newest 50.
class RevocationList {
public:
    void revoke(const SubaccountToken& token);
    bool revoked(const SubaccountToken& token) const;
    std::size_t size() const { return tokens_.size(); }

private:
    std::deque<SubaccountToken> tokens_;
};

}  // namespace sessionsim::storage
