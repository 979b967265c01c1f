#include "models/group/group_message.h"

#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "models/group/zstd.h"

namespace sessionsim::group {

namespace {

constexpr std::size_t kOverhead = crypto::kXChaChaNonceSize + crypto::kAeadTagSize;

std::string as_string(ByteView b) {
    return {b.begin(), b.end()};
}

}  // namespace

Bytes encrypt_group_message(ByteView plaintext, const crypto::Ed25519KeyPair& sender,
                            const crypto::AeadKey& group_key, crypto::RandomSource& random,
                            bool compress) {
    if (plaintext.size() > kMaxGroupPlaintext)
        throw InvalidInput("Cannot encrypt plaintext: message size is too large");
    Bytes carried(plaintext.begin(), plaintext.end());
    bool compressed = false;
    if (compress) {
        Bytes z = zstd_compress(plaintext);
        if (z.size() < plaintext.size()) {
            carried = std::move(z);
            compressed = true;
        }
    }
    const auto signature = crypto::ed25519_sign(sender.secret_key, carried);
    bencode::Dict d;
    d[""] = std::int64_t{1};
    d["a"] = as_string(sender.public_key);
    d[compressed ? "z" : "d"] = as_string(carried);
    d["s"] = as_string(signature);
    std::string body = bencode::encode(d);
    const std::size_t total = kOverhead + body.size();
    if (total % kGroupMessagePadding != 0)
        body.resize(body.size() + kGroupMessagePadding - total % kGroupMessagePadding, '\0');

    const auto nonce = random.bytes<crypto::kXChaChaNonceSize>();
    Bytes out(nonce.begin(), nonce.end());
    const Bytes ct = crypto::xchacha20poly1305_encrypt(group_key, nonce, as_bytes(body));
    out.insert(out.end(), ct.begin(), ct.end());
    return out;
}

GroupMessage decrypt_group_message(ByteView ciphertext, std::span<const crypto::AeadKey> keys) {
    if (ciphertext.size() < kOverhead)
        throw InvalidInput("ciphertext is too small to be encrypted data");
    FixedBytes<crypto::kXChaChaNonceSize> nonce;
    std::copy_n(ciphertext.begin(), nonce.size(), nonce.begin());
    const ByteView sealed = ciphertext.subspan(nonce.size());
    std::optional<Bytes> plain;
    for (const auto& key : keys) {
        if ((plain = crypto::xchacha20poly1305_decrypt(key, nonce, sealed)))
            break;
    }
    if (!plain)
        throw InvalidInput("unable to decrypt ciphertext with any current group keys");
    while (!plain->empty() && plain->back() == 0)
        plain->pop_back();
    if (plain->empty() || plain->front() != 'd' || plain->back() != 'e')
        throw InvalidInput("decrypted data is not a bencoded dict");

    bencode::Dict d;
    try {
        d = bencode::decode(as_string(*plain)).as_dict();
    } catch (const InvalidInput& e) {
        throw InvalidInput(std::string("decrypted data is not a bencoded dict: ") + e.what());
    }
    const auto field = [&](const char* k) -> const bencode::Value* {
        const auto it = d.find(k);
        return it == d.end() ? nullptr : &it->second;
    };
    const auto* version = field("");
    if (version == nullptr)
        throw InvalidInput("group message version tag (\"\") is missing");
    if (!version->is_int() || version->as_int() != 1)
        throw InvalidInput("group message version tag is not compatible (we support v1)");
    const auto* author = field("a");
    if (author == nullptr || !author->is_string())
        throw InvalidInput("missing message author pubkey");
    if (author->as_string().size() != 32)
        throw InvalidInput("message author pubkey size (" +
                           std::to_string(author->as_string().size()) + ") is invalid");
    const auto* sig = field("s");
    if (sig == nullptr || !sig->is_string())
        throw InvalidInput("message signature is missing");
    if (sig->as_string().size() != 64)
        throw InvalidInput("message signature size (" + std::to_string(sig->as_string().size()) +
                           ") is invalid");
    const auto* raw = field("d");
    const auto* z = field("z");
    if (raw != nullptr && z != nullptr)
        throw InvalidInput(
            "message signature cannot contain both compressed (z) and uncompressed (d) data");
    const auto* carried = raw != nullptr ? raw : z;
    if (carried == nullptr || !carried->is_string() || carried->as_string().empty())
        throw InvalidInput("message must contain compressed (z) or uncompressed (d) data");

    crypto::Ed25519PublicKey ed_pk;
    std::copy_n(author->as_string().begin(), 32, ed_pk.begin());
    crypto::Ed25519Signature signature;
    std::copy_n(sig->as_string().begin(), 64, signature.begin());
    if (!crypto::ed25519_verify(ed_pk, signature, as_bytes(carried->as_string())))
        throw InvalidInput("message signature failed validation");

    GroupMessage out;
    try {
        out.sender.key = crypto::ed25519_pk_to_x25519(ed_pk);
    } catch (const CryptoError&) {
        throw InvalidInput(
            "author ed25519 pubkey is invalid (unable to convert it to a session id)");
    }
    if (z != nullptr) {
        auto data = zstd_decompress(as_bytes(z->as_string()), kMaxGroupPlaintext);
        if (!data)
            throw InvalidInput("message decompression failed");
        out.data = std::move(*data);
    } else {
        const auto& s = raw->as_string();
        out.data.assign(s.begin(), s.end());
    }
    return out;
}

}  // namespace sessionsim::group
