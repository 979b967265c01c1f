#include "models/message/config_message.h"

#include "models/common/errors.h"
#include "models/crypto/aead.h"
#include "models/crypto/hash.h"

namespace sessionsim::message {
namespace {

void check_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > 24) {
        throw InvalidInput("config domain must be 1-24 characters, got " +
                           std::to_string(domain.size()));
    }
}

crypto::AeadKey config_key(const FixedBytes<32>& key_base, std::size_t length,
                           std::string_view domain) {
    FixedBytes<8> len_be;
    for (int i = 0; i < 8; ++i)
        len_be[i] = static_cast<std::uint8_t>(length >> (8 * (7 - i)));
    return crypto::AeadKey::from(crypto::blake2b_256({key_base, len_be, as_bytes(domain)}));
}

}  // namespace

Bytes encrypt_config_message(ByteView message, const FixedBytes<32>& key_base,
                             std::string_view domain) {
    check_domain(domain);
    const std::string nonce_key = "libsessionutil-config-encrypted-" + std::string(domain);
    const Bytes nonce_bytes = crypto::blake2b(24, {message}, as_bytes(nonce_key));
    FixedBytes<24> nonce;
    std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
    return concat({crypto::xchacha20poly1305_encrypt(config_key(key_base, message.size(), domain),
                                                     nonce, message),
                   nonce});
}

Bytes decrypt_config_message(ByteView ciphertext, const FixedBytes<32>& key_base,
                             std::string_view domain) {
    check_domain(domain);
    if (ciphertext.size() < 24 + crypto::kAeadTagSize) {
        throw InvalidInput("config message is too short");
    }
    FixedBytes<24> nonce;
    std::copy_n(ciphertext.end() - 24, 24, nonce.begin());
    const ByteView body = ciphertext.first(ciphertext.size() - 24);
    const auto plain = crypto::xchacha20poly1305_decrypt(
        config_key(key_base, body.size() - crypto::kAeadTagSize, domain), nonce, body);
    if (!plain)
        throw InvalidInput("config message does not decrypt with this key and domain");
    return *plain;
}

}  // namespace sessionsim::message
