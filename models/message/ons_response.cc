#include "models/message/ons_response.h"

#include "models/common/errors.h"
#include "models/crypto/aead.h"
#include "models/crypto/hash.h"

namespace sessionsim::message {

identity::AccountId decrypt_ons_response(std::string_view name, ByteView ciphertext,
                                         const FixedBytes<24>& nonce) {
    const auto name_hash = crypto::blake2b_256({as_bytes(name)});
    const auto key = crypto::blake2b_256({as_bytes(name)}, name_hash);
    const auto plain =
        crypto::xchacha20poly1305_decrypt(crypto::AeadKey::from(key), nonce, ciphertext);
    if (!plain)
        throw InvalidInput("ONS response does not decrypt for name '" + std::string(name) + "'");
    if (plain->size() == 33) {
        identity::AccountId id;
        id.prefix = (*plain)[0];
        std::copy(plain->begin() + 1, plain->end(), id.key.begin());
        return id;
    }
    if (plain->size() == 32) {
        identity::AccountId id;
        std::copy(plain->begin(), plain->end(), id.key.begin());
        return id;
    }
    throw InvalidInput("ONS response holds " + std::to_string(plain->size()) +
                       " bytes, not a Session ID");
}

}  // namespace sessionsim::message
