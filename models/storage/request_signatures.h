// The exact strings clients sign to authenticate storage requests (storage server
// request_handler.cpp verify_signature; desktop snodeSignatures.ts), and signing/verifying them.
// Parts are concatenated with no separators; numbers are decimal; namespace 0 is "".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/identity/keys.h"
#include "models/storage/namespaces.h"

namespace sessionsim::storage {

std::string store_signed_string(Namespace ns, std::int64_t sig_timestamp_ms);
std::string retrieve_signed_string(Namespace ns, std::int64_t timestamp_ms);
std::string delete_signed_string(std::span<const std::string> hashes);
/// `ns` nullopt means "all" namespaces.
std::string delete_all_signed_string(std::optional<Namespace> ns, std::int64_t timestamp_ms);

/// base64 of the account owner's Ed25519 signature over `signed_string`.
std::string sign_request(const identity::Identity& owner, std::string_view signed_string);

/// The storage server's check: for a 05 account with `pubkey_ed25519`, that key must convert to
/// the account's X25519 key and verify; otherwise the account's 32 bytes are used as the Ed25519
/// key (03 groups). False on any mismatch or bad signature.
bool verify_request_signature(const identity::AccountId& account,
                              const std::optional<crypto::Ed25519PublicKey>& pubkey_ed25519,
                              const crypto::Ed25519Signature& signature,
                              std::string_view signed_string);

}  // namespace sessionsim::storage
