#include "models/storage/request_signatures.h"

#include "models/common/base64.h"
#include "models/common/errors.h"

namespace sessionsim::storage {

std::string store_signed_string(Namespace ns, std::int64_t sig_timestamp_ms) {
    return "store" + namespace_string(ns) + std::to_string(sig_timestamp_ms);
}

std::string retrieve_signed_string(Namespace ns, std::int64_t timestamp_ms) {
    return "retrieve" + namespace_string(ns) + std::to_string(timestamp_ms);
}

std::string delete_signed_string(std::span<const std::string> hashes) {
    std::string s = "delete";
    for (const auto& h : hashes)
        s += h;
    return s;
}

std::string delete_all_signed_string(std::optional<Namespace> ns, std::int64_t timestamp_ms) {
    return "delete_all" + (ns ? namespace_string(*ns) : std::string("all")) +
           std::to_string(timestamp_ms);
}

std::string sign_request(const identity::Identity& owner, std::string_view signed_string) {
    return to_base64(crypto::ed25519_sign(owner.ed25519().secret_key, as_bytes(signed_string)));
}

bool verify_request_signature(const identity::AccountId& account,
                              const std::optional<crypto::Ed25519PublicKey>& pubkey_ed25519,
                              const crypto::Ed25519Signature& signature,
                              std::string_view signed_string) {
    crypto::Ed25519PublicKey verifier = account.key;
    const bool standard =
        account.prefix == static_cast<std::uint8_t>(identity::AccountPrefix::standard) ||
        account.prefix == static_cast<std::uint8_t>(identity::AccountPrefix::testnet);
    if (standard && pubkey_ed25519) {
        try {
            if (crypto::ed25519_pk_to_x25519(*pubkey_ed25519) != account.key)
                return false;
        } catch (const CryptoError&) {
            return false;
        }
        verifier = *pubkey_ed25519;
    }
    return crypto::ed25519_verify(verifier, signature, as_bytes(signed_string));
}

}  // namespace sessionsim::storage
