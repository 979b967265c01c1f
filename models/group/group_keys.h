// Groups v2 key management (libsession config/groups/keys.cpp), sans-I/O.
//
// A group is an Ed25519 key pair; its account is 03 || public key. Admins hold the secret key.
// Each rekey (creation, and every membership change that must lock someone out) makes a new
// symmetric key and a keys message for namespace 12:
//   H1 = BLAKE2b-56(sorted member Session IDs (hex) || generation (decimal) || S,
//                   key "SessionGroupKeyGen"),  S = BLAKE2b-32(seed, key "SessionGroupKeySeed")
//   key = H1[0..32], nonce = H1[32..56]
//   {"#": nonce, "G": generation, "K": Enc(key, admin key), "k": [Enc(key, member key)...],
//    "~": group signature over every byte before "1:~"}
// with admin key = BLAKE2b-32(seed, key "SessionGroupKeyAdminKey"), member key =
// BLAKE2b-32(aB || A || B, key "SessionGroupKeyMemberKey") in X25519 space (A: the group, B: the
// member), and "k" padded with deterministic junk to a multiple of 75 entries so its length does
// not reveal the member count. Members try every entry; only their own opens.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/common/bytes.h"
#include "models/crypto/aead.h"
#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/identity/keys.h"
#include "models/storage/subaccount.h"

namespace sessionsim::group {

inline constexpr std::size_t kKeyEntryMultiple = 75;
inline constexpr std::size_t kMaxGroupMembers = 100;

struct KeysMessage {
    Bytes data;  ///< store in the group's namespace 12
    std::int64_t generation = 0;
};

/// A group as its admin holds it.
class GroupAdmin {
public:
    explicit GroupAdmin(const crypto::Ed25519Seed& group_seed);

    identity::AccountId account() const;
    const crypto::Ed25519KeyPair& signing_keys() const { return keys_; }

    /// A new key for exactly these members (the admin is always included). Throws InvalidInput
    /// for more than 100 members.
    KeysMessage rekey(std::vector<identity::AccountId> members);
    /// Every key made so far, newest first (the first encrypts).
    std::span<const crypto::AeadKey> keys() const { return generations_; }

    /// A subaccount token for a member's per-group key: read and write, not delete.
    storage::SignedSubaccount invite(const crypto::Ed25519PublicKey& member_key) const;
    /// base64 signature for revoke_subaccount ("revoke_subaccount" || token).
    std::string revoke_signature(const storage::SubaccountToken& token) const;

private:
    crypto::Ed25519Seed seed_;
    crypto::Ed25519KeyPair keys_;
    std::vector<crypto::AeadKey> generations_;  ///< newest first
};

/// What a member keeps: the group's keys it could open.
class GroupKeyring {
public:
    GroupKeyring(const crypto::Ed25519PublicKey& group_key, const identity::Identity& member);

    /// Checks the group's signature, then opens this member's entry. Returns the generation
    /// loaded, or nullopt if no entry is for this member (e.g. after being removed). Throws
    /// InvalidInput on a malformed message or a bad signature.
    std::optional<std::int64_t> load(ByteView keys_message);

    /// Known keys, newest generation first.
    std::vector<crypto::AeadKey> keys() const;
    std::optional<std::int64_t> newest_generation() const;

private:
    crypto::Ed25519PublicKey group_key_;
    crypto::X25519PublicKey group_x25519_;
    crypto::AeadKey member_key_;  ///< the BLAKE2b of bA || A || B
    std::vector<std::pair<std::int64_t, crypto::AeadKey>> keys_;
};

}  // namespace sessionsim::group
