#include "models/storage/rpc_params.h"

#include <charconv>

#include "models/common/base64.h"
#include "models/storage/limits.h"
#include "models/storage/message_hash.h"

namespace sessionsim::storage {

void RpcParams::invalid(const char* name, const char* expected) {
    throw ParseError(std::string("Invalid value given for '") + name + "': expected " + expected);
}

void RpcParams::missing(const char* name) {
    throw ParseError(std::string("Required field '") + name + "' missing");
}

const nlohmann::json* RpcParams::get(const char* name) const {
    const auto it = p_.find(name);
    if (it == p_.end() || it->is_null())
        return nullptr;
    return &*it;
}

identity::AccountId RpcParams::pubkey(bool allow_alias) const {
    const auto* primary = get("pubkey");
    const auto* alias = allow_alias ? get("pubKey") : nullptr;
    if (primary && alias)
        throw ParseError("Cannot specify both 'pubkey' and 'pubKey'");
    const auto* v = primary ? primary : alias;
    if (!v)
        missing("pubkey");
    if (!v->is_string())
        invalid("pubkey", "string");
    try {
        return identity::AccountId::parse(v->get<std::string>());
    } catch (const InvalidInput&) {
        throw ParseError("Pubkey must be 66 hex digits (33 bytes) long");
    }
}

Namespace RpcParams::namespace_or_default() const {
    const auto* v = get("namespace");
    if (!v)
        return 0;
    if (!v->is_number_integer())
        invalid("namespace", "16-bit integer");
    const auto n = v->get<std::int64_t>();
    if (n < INT16_MIN || n > INT16_MAX) {
        throw ParseError("Invalid value given for 'namespace': value out of range");
    }
    return static_cast<Namespace>(n);
}

std::optional<std::int64_t> RpcParams::timestamp(const char* name) const {
    const auto* v = get(name);
    if (!v)
        return std::nullopt;
    // Parsed JSON holds positive numbers as unsigned; JSON built in code may hold them signed.
    if (!v->is_number_integer() ||
        (v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0)) {
        invalid(name, "integer timestamp (in milliseconds)");
    }
    const auto t = v->get<std::uint64_t>();
    if (t < static_cast<std::uint64_t>(kMinimumTimestampMs) ||
        t > static_cast<std::uint64_t>(INT64_MAX)) {
        throw ParseError(std::string("Invalid timestamp for '") + name +
                         "': timestamp must be in milliseconds");
    }
    return static_cast<std::int64_t>(t);
}

std::int64_t RpcParams::required_timestamp(const char* name) const {
    const auto t = timestamp(name);
    if (!t)
        missing(name);
    return *t;
}

std::optional<std::int64_t> RpcParams::stringified_int(const char* name) const {
    const auto* v = get(name);
    if (!v)
        return std::nullopt;
    if (v->is_number_integer())
        return v->get<std::int64_t>();
    if (v->is_string()) {
        const std::string s = v->get<std::string>();
        std::int64_t out = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return out;
    }
    throw ParseError(std::string("Invalid value given for '") + name + "': " + v->dump());
}

std::optional<std::int64_t> RpcParams::integer(const char* name) const {
    const auto* v = get(name);
    if (!v)
        return std::nullopt;
    if (!v->is_number_integer())
        invalid(name, "integer");
    return v->get<std::int64_t>();
}

std::optional<bool> RpcParams::boolean(const char* name) const {
    const auto* v = get(name);
    if (!v)
        return std::nullopt;
    if (!v->is_boolean())
        invalid(name, "boolean");
    return v->get<bool>();
}

std::optional<std::string> RpcParams::string(const char* name) const {
    const auto* v = get(name);
    if (!v)
        return std::nullopt;
    if (!v->is_string())
        invalid(name, "string");
    return v->get<std::string>();
}

std::vector<std::string> RpcParams::string_list(const char* name) const {
    const auto* v = get(name);
    if (!v)
        missing(name);
    std::vector<std::string> out;
    if (v->is_string()) {
        out.push_back(v->get<std::string>());
    } else if (v->is_array()) {
        for (const auto& item : *v) {
            if (!item.is_string())
                invalid(name, "string array");
            out.push_back(item.get<std::string>());
        }
    } else {
        invalid(name, "string array");
    }
    return out;
}

std::optional<crypto::Ed25519Signature> RpcParams::signature() const {
    const auto s = string("signature");
    if (!s)
        return std::nullopt;
    const bool shape_ok = s->size() == 86 || (s->size() == 88 && s->ends_with("=="));
    Bytes raw;
    if (shape_ok) {
        try {
            raw = from_base64(*s);
        } catch (const InvalidInput&) {
        }
    }
    if (raw.size() != 64) {
        throw ParseError("invalid signature: expected base64 encoded Ed25519 signature");
    }
    crypto::Ed25519Signature sig;
    std::copy(raw.begin(), raw.end(), sig.begin());
    return sig;
}

crypto::Ed25519Signature RpcParams::required_signature() const {
    const auto sig = signature();
    if (!sig)
        missing("signature");
    return *sig;
}

std::optional<SignedSubaccount> RpcParams::subaccount() const {
    const auto token = string("subaccount");
    const auto sig = string("subaccount_sig");
    if (!token && !sig)
        return std::nullopt;
    if (!token)
        missing("subaccount");
    if (!sig)
        missing("subaccount_sig");
    SignedSubaccount out;
    try {
        const Bytes t = from_base64(*token);
        const Bytes s = from_base64(*sig);
        if (t.size() != kSubaccountTokenSize || s.size() != out.signature.size())
            throw InvalidInput("size");
        std::copy(t.begin(), t.end(), out.token.bytes.begin());
        std::copy(s.begin(), s.end(), out.signature.begin());
    } catch (const InvalidInput&) {
        throw ParseError(
            "invalid subaccount: expected a base64 36-byte token and 64-byte signature");
    }
    return out;
}

std::vector<std::string> RpcParams::message_hashes() const {
    auto hashes = string_list("messages");
    if (hashes.empty())
        throw ParseError("messages does not contain any message hashes");
    for (const auto& h : hashes) {
        if (h.size() != kMessageHashLength)
            throw ParseError("invalid message hash: " + h);
    }
    return hashes;
}

std::optional<crypto::Ed25519PublicKey> RpcParams::pubkey_ed25519(
    const identity::AccountId& account) const {
    const auto s = string("pubkey_ed25519");
    if (!s)
        return std::nullopt;
    if (account.prefix != static_cast<std::uint8_t>(identity::AccountPrefix::standard)) {
        throw ParseError("pubkey_ed25519 is only permitted for 05[...] pubkeys");
    }
    if (s->size() != 64)
        throw ParseError("Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey");
    if (!is_hex(*s))
        throw ParseError("invalid pubkey_ed25519: value is not hex");
    return fixed_from_hex<32>(*s, "pubkey_ed25519");
}

}  // namespace sessionsim::storage
