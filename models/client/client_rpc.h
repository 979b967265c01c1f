// Request parameters the client's files share (client.cc, client_groups.cc): a store's fields,
// and the signatures a member of a group signs with. Internal to the client.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "models/client/client.h"
#include "models/common/base64.h"
#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"
#include "models/identity/account_id.h"
#include "models/storage/namespaces.h"

namespace sessionsim::client::detail {

inline nlohmann::json store_params(const identity::AccountId& account, storage::Namespace ns,
                                   const std::string& data_b64, std::int64_t timestamp,
                                   std::int64_t ttl) {
    nlohmann::json p{
        {"pubkey", account.to_hex()}, {"timestamp", timestamp}, {"ttl", ttl}, {"data", data_b64}};
    if (ns != 0)
        p["namespace"] = ns;
    return p;
}

inline std::string signature_by(const crypto::Ed25519SecretKey& key,
                                std::string_view signed_string) {
    return to_base64(crypto::ed25519_sign(key, as_bytes(signed_string)));
}

/// Subaccount auth: the token, the admin's signature over it, the member key's signature.
inline void add_subaccount_auth(nlohmann::json& p, const GroupInvite& invite,
                                std::string_view signed_string) {
    p["subaccount"] = to_base64(invite.token.token.bytes);
    p["subaccount_sig"] = to_base64(invite.token.signature);
    p["signature"] = signature_by(invite.member_key.secret_key, signed_string);
}

}  // namespace sessionsim::client::detail
