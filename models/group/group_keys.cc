#include "models/group/group_keys.h"

#include <algorithm>

#include <sodium/randombytes.h>

#include "models/common/base64.h"
#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/x25519.h"

namespace sessionsim::group {

namespace {

constexpr std::string_view kSeedHashKey = "SessionGroupKeySeed";
constexpr std::string_view kGenHashKey = "SessionGroupKeyGen";
constexpr std::string_view kAdminHashKey = "SessionGroupKeyAdminKey";
constexpr std::string_view kMemberHashKey = "SessionGroupKeyMemberKey";
constexpr std::string_view kJunkHashKey = "SessionGroupJunkMembers";
constexpr std::size_t kEntrySize = 32 + crypto::kAeadTagSize;
/// "1:~64:" + signature + "e": the signature is the dict's last entry ('~' sorts last).
constexpr std::size_t kSignatureTail = 6 + 64 + 1;

std::string str(ByteView b) {
    return {b.begin(), b.end()};
}

crypto::AeadKey seed_hash(const crypto::Ed25519Seed& seed, std::string_view key) {
    return crypto::AeadKey::from(crypto::blake2b_256({seed.view()}, as_bytes(key)));
}

crypto::AeadKey member_key(ByteView shared, const crypto::X25519PublicKey& group,
                           const crypto::X25519PublicKey& member) {
    return crypto::AeadKey::from(
        crypto::blake2b_256({shared, group, member}, as_bytes(kMemberHashKey)));
}

FixedBytes<crypto::kXChaChaNonceSize> nonce_of(ByteView b) {
    FixedBytes<crypto::kXChaChaNonceSize> n;
    std::copy_n(b.begin(), n.size(), n.begin());
    return n;
}

}  // namespace

GroupAdmin::GroupAdmin(const crypto::Ed25519Seed& group_seed)
    : seed_(group_seed), keys_(crypto::ed25519_from_seed(group_seed)) {}

identity::AccountId GroupAdmin::account() const {
    return identity::AccountId{static_cast<std::uint8_t>(identity::AccountPrefix::group),
                               keys_.public_key};
}

KeysMessage GroupAdmin::rekey(std::vector<identity::AccountId> members) {
    if (members.size() > kMaxGroupMembers)
        throw InvalidInput("a group has at most 100 members; got " +
                           std::to_string(members.size()));
    std::vector<std::string> ids;
    for (const auto& m : members)
        ids.push_back(m.to_hex());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

    const std::int64_t generation = static_cast<std::int64_t>(generations_.size());
    const auto s = seed_hash(seed_, kSeedHashKey);
    std::string h1_input;
    for (const auto& id : ids)
        h1_input += id;
    h1_input += std::to_string(generation);
    const Bytes h1 = crypto::blake2b(56, {as_bytes(h1_input), s.view()}, as_bytes(kGenHashKey));
    const auto key = crypto::AeadKey::from(ByteView(h1).first(32));
    const auto nonce = nonce_of(ByteView(h1).subspan(32));

    bencode::Dict d;
    d["#"] = str(nonce);
    d["G"] = generation;
    d["K"] =
        str(crypto::xchacha20poly1305_encrypt(seed_hash(seed_, kAdminHashKey), nonce, key.view()));
    const crypto::X25519KeyPair group_x25519{
        .public_key = crypto::ed25519_pk_to_x25519(keys_.public_key),
        .secret_key = crypto::ed25519_sk_to_x25519(keys_.secret_key)};
    bencode::List entries;
    for (const auto& id : ids) {
        const auto member = identity::AccountId::parse(id);
        crypto::SecretBytes<32> shared;
        try {
            shared = crypto::x25519_shared_secret(group_x25519, member.key);
        } catch (const CryptoError&) {
            continue;  // not a usable X25519 key: libsession skips it too
        }
        entries.emplace_back(str(crypto::xchacha20poly1305_encrypt(
            member_key(shared.view(), group_x25519.public_key, member.key), nonce, key.view())));
    }
    if (const std::size_t rem = entries.size() % kKeyEntryMultiple; rem != 0) {
        const std::size_t junk = kKeyEntryMultiple - rem;
        const auto rng_seed =
            crypto::blake2b_256({h1, keys_.secret_key.view()}, as_bytes(kJunkHashKey));
        Bytes bytes(junk * kEntrySize);
        randombytes_buf_deterministic(bytes.data(), bytes.size(), rng_seed.data());
        for (std::size_t i = 0; i < junk; ++i)
            entries.emplace_back(str(ByteView(bytes).subspan(i * kEntrySize, kEntrySize)));
    }
    d["k"] = std::move(entries);
    std::string encoded = bencode::encode(d);
    encoded.pop_back();  // sign everything before the "~" entry
    const auto sig = crypto::ed25519_sign(keys_.secret_key, as_bytes(encoded));
    encoded += "1:~64:" + str(sig) + "e";

    generations_.insert(generations_.begin(), key);
    return KeysMessage{Bytes(encoded.begin(), encoded.end()), generation};
}

storage::SignedSubaccount GroupAdmin::invite(const crypto::Ed25519PublicKey& member_key) const {
    return storage::make_subaccount(
        keys_.secret_key, static_cast<std::uint8_t>(identity::AccountPrefix::group),
        storage::SubaccountAccess::read | storage::SubaccountAccess::write, member_key);
}

std::string GroupAdmin::revoke_signature(const storage::SubaccountToken& token) const {
    Bytes signed_bytes(as_bytes(std::string_view("revoke_subaccount")).begin(),
                       as_bytes(std::string_view("revoke_subaccount")).end());
    signed_bytes.insert(signed_bytes.end(), token.bytes.begin(), token.bytes.end());
    return to_base64(crypto::ed25519_sign(keys_.secret_key, signed_bytes));
}

GroupKeyring::GroupKeyring(const crypto::Ed25519PublicKey& group_key,
                           const identity::Identity& member)
    : group_key_(group_key), group_x25519_(crypto::ed25519_pk_to_x25519(group_key)) {
    const auto shared = crypto::x25519_shared_secret(member.x25519(), group_x25519_);
    member_key_ = member_key(shared.view(), group_x25519_, member.x25519().public_key);
}

std::optional<std::int64_t> GroupKeyring::load(ByteView message) {
    const std::string text = str(message);
    if (text.size() < kSignatureTail + 2 ||
        text.compare(text.size() - kSignatureTail, 6, "1:~64:") != 0 || text.back() != 'e') {
        throw InvalidInput("keys message: missing or misplaced signature (~)");
    }
    crypto::Ed25519Signature sig;
    std::copy_n(text.end() - 65, 64, sig.begin());
    if (!crypto::ed25519_verify(
            group_key_, sig,
            as_bytes(std::string_view(text).substr(0, text.size() - kSignatureTail))))
        throw InvalidInput("keys message: signature verification failed");
    bencode::Dict d;
    try {
        d = bencode::decode(text).as_dict();
    } catch (const InvalidInput& e) {
        throw InvalidInput(std::string("keys message: ") + e.what());
    }
    const auto& nonce_s = bencode::at(d, "#").as_string();
    if (nonce_s.size() != crypto::kXChaChaNonceSize)
        throw InvalidInput("keys message: nonce (#) must be 24 bytes");
    const std::int64_t generation = bencode::at(d, "G").as_int();
    const auto nonce = nonce_of(as_bytes(nonce_s));
    for (const auto& entry : bencode::at(d, "k").as_list()) {
        const auto& e = entry.as_string();
        if (e.size() != kEntrySize)
            throw InvalidInput("keys message: member entries must be 48 bytes");
        if (auto key = crypto::xchacha20poly1305_decrypt(member_key_, nonce, as_bytes(e))) {
            const auto k = crypto::AeadKey::from(*key);
            const auto known = std::find_if(keys_.begin(), keys_.end(),
                                            [&](const auto& g) { return g.first == generation; });
            if (known == keys_.end())
                keys_.emplace_back(generation, k);
            std::sort(keys_.begin(), keys_.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
            return generation;
        }
    }
    return std::nullopt;
}

std::vector<crypto::AeadKey> GroupKeyring::keys() const {
    std::vector<crypto::AeadKey> out;
    for (const auto& [g, k] : keys_)
        out.push_back(k);
    return out;
}

std::optional<std::int64_t> GroupKeyring::newest_generation() const {
    if (keys_.empty())
        return std::nullopt;
    return keys_.front().first;
}

}  // namespace sessionsim::group
