// A Session account's keys: 16-byte seed -> Ed25519 seed (zero-padded) -> Ed25519 and X25519
// key pairs -> Session ID ("05" || X25519 public key).
#pragma once

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/x25519.h"
#include "models/identity/account_id.h"

namespace sessionsim::identity {

/// The seed a new account draws (Session desktop: randombytes_buf(16)).
using AccountSeed = crypto::SecretBytes<16>;

class Identity {
public:
    /// The app's derivation: Ed25519 seed = seed16 || 16 zero bytes.
    static Identity from_account_seed(const AccountSeed& seed16);

    /// Any 32-byte Ed25519 seed (the padded form above, or a full-entropy seed).
    static Identity from_ed25519_seed(const crypto::Ed25519Seed& seed32);

    const crypto::Ed25519Seed& ed25519_seed() const { return ed25519_seed_; }
    const crypto::Ed25519KeyPair& ed25519() const { return ed25519_; }
    const crypto::X25519KeyPair& x25519() const { return x25519_; }

    /// "05" || X25519 public key.
    AccountId session_id() const;

    /// True if the Ed25519 seed is a 16-byte account seed padded with zeros, i.e. the account
    /// can be written as a 13-word recovery phrase.
    bool has_short_seed() const;

private:
    crypto::Ed25519Seed ed25519_seed_;
    crypto::Ed25519KeyPair ed25519_;
    crypto::X25519KeyPair x25519_;
};

}  // namespace sessionsim::identity
