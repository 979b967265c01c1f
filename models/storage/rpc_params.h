// Reading client RPC parameters with the storage server's exact rejection messages
// (client_rpc_endpoints.cpp). A ParseError becomes 400 "invalid request: <message>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/errors.h"
#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/storage/namespaces.h"
#include "models/storage/subaccount.h"

namespace sessionsim::storage {

class ParseError : public InvalidInput {
public:
    using InvalidInput::InvalidInput;
};

class RpcParams {
public:
    explicit RpcParams(const nlohmann::json& params) : p_(params) {}

    /// A missing field and a JSON null are the same: absent.
    const nlohmann::json* get(const char* name) const;
    bool has(const char* name) const { return get(name) != nullptr; }

    /// `pubkey` (or its legacy alias `pubKey`): 66 hex characters.
    identity::AccountId pubkey(bool allow_alias) const;
    Namespace namespace_or_default() const;
    std::optional<std::int64_t> timestamp(const char* name) const;  ///< ms, >= 1e9
    std::int64_t required_timestamp(const char* name) const;
    /// Integer, or a string holding one (store's timestamp and ttl).
    std::optional<std::int64_t> stringified_int(const char* name) const;
    std::optional<std::int64_t> integer(const char* name) const;
    std::optional<bool> boolean(const char* name) const;
    std::optional<std::string> string(const char* name) const;
    /// A string or an array of strings.
    std::vector<std::string> string_list(const char* name) const;
    std::optional<crypto::Ed25519Signature> signature() const;
    crypto::Ed25519Signature required_signature() const;
    /// `subaccount` (36-byte token) with `subaccount_sig`, both base64; nullopt if neither.
    std::optional<SignedSubaccount> subaccount() const;
    /// `messages`: one hash or a non-empty list, each 43 characters.
    std::vector<std::string> message_hashes() const;
    std::optional<crypto::Ed25519PublicKey> pubkey_ed25519(
        const identity::AccountId& account) const;

    [[noreturn]] static void invalid(const char* name, const char* expected);
    [[noreturn]] static void missing(const char* name);

private:
    const nlohmann::json& p_;
};

}  // namespace sessionsim::storage
