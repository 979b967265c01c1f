#include "models/message/session_encrypt.h"

#include "models/crypto/hash.h"
#include "models/crypto/sealed_box.h"

namespace sessionsim::message {
namespace {

Bytes signed_inner(const identity::Identity& sender, const crypto::X25519PublicKey& recipient,
                   ByteView message) {
    const auto& ed = sender.ed25519();
    const auto sig =
        crypto::ed25519_sign(ed.secret_key, concat({message, ed.public_key, recipient}));
    return concat({message, ed.public_key, sig});
}

}  // namespace

Bytes encrypt_for_recipient(const identity::Identity& sender,
                            const crypto::X25519PublicKey& recipient, ByteView message,
                            crypto::RandomSource& random) {
    crypto::X25519SecretKey eph_secret;
    random.fill(eph_secret.mutable_view());
    return crypto::sealed_box_seal_with(signed_inner(sender, recipient, message), recipient,
                                        crypto::x25519_ephemeral(eph_secret));
}

Bytes encrypt_for_recipient_deterministic(const identity::Identity& sender,
                                          const crypto::X25519PublicKey& recipient,
                                          ByteView message) {
    const auto seed = crypto::blake2b_256({sender.ed25519_seed().view(), recipient, message},
                                          as_bytes("SessionBoxEphemeralHashKey"));
    const auto ephemeral = crypto::x25519_from_seed(crypto::SecretBytes<32>::from(seed));
    return crypto::sealed_box_seal_with(signed_inner(sender, recipient, message), recipient,
                                        ephemeral);
}

DecryptedMessage decrypt_incoming(const identity::Identity& recipient, ByteView ciphertext) {
    const auto inner = crypto::sealed_box_open(ciphertext, recipient.x25519());
    if (!inner)
        throw DecryptError("message does not open with this recipient's key");
    constexpr std::size_t kTrailer = 32 + 64;
    if (inner->size() < kTrailer)
        throw DecryptError("decrypted message is too short");
    const ByteView all(*inner);
    const ByteView message = all.first(all.size() - kTrailer);
    DecryptedMessage out;
    std::copy_n(all.end() - kTrailer, 32, out.sender_ed25519.begin());
    crypto::Ed25519Signature sig;
    std::copy_n(all.end() - 64, 64, sig.begin());
    if (!crypto::ed25519_verify(
            out.sender_ed25519, sig,
            concat({message, out.sender_ed25519, recipient.x25519().public_key}))) {
        throw DecryptError("message signature does not verify");
    }
    out.message.assign(message.begin(), message.end());
    out.sender_session_id =
        identity::AccountId{.prefix = static_cast<std::uint8_t>(identity::AccountPrefix::standard),
                            .key = crypto::ed25519_pk_to_x25519(out.sender_ed25519)};
    return out;
}

}  // namespace sessionsim::message
