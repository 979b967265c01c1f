#include "models/crypto/ed25519.h"

#include <sodium.h>

#include <cstring>
#include <memory>
#include <vector>

#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/mode.h"
#include "models/crypto/modelled.h"
#include "models/crypto/sodium.h"

namespace sessionsim::crypto {

Ed25519KeyPair ed25519_from_seed(const Ed25519Seed& seed) {
    ensure_sodium();
    Ed25519KeyPair kp;
    crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
    return kp;
}

Ed25519Signature ed25519_sign(const Ed25519SecretKey& secret_key, ByteView message) {
    if (crypto_mode() == CryptoMode::modelled) {
        // libsodium's secret key carries the public key in its second half.
        Ed25519PublicKey signer;
        std::copy_n(secret_key.data() + 32, 32, signer.begin());
        return modelled::ed25519_signature(signer, message);
    }
    ensure_sodium();
    Ed25519Signature sig;
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key.data());
    return sig;
}

bool ed25519_verify(const Ed25519PublicKey& public_key, const Ed25519Signature& signature,
                    ByteView message) {
    if (crypto_mode() == CryptoMode::modelled)
        return modelled::ed25519_signature(public_key, message) == signature;
    ensure_sodium();
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                       public_key.data()) == 0;
}

namespace {

/// The X25519 forms of recently converted Ed25519 keys. Nodes convert the account key of every
/// signed request (each push subscription, each retrieve), always the same few hundred thousand
/// keys, and the conversion's square root was a fifth of a 10,000-client run's CPU. A pure
/// function, so caching it changes no result; direct-mapped by the key's first bytes (keys are
/// uniform), per thread, 2^17 slots (8.5 MB) made on first use.
class ConversionCache {
public:
    const FixedBytes<32>* find(const Ed25519PublicKey& key) const {
        const Slot& slot = slots_[index(key)];
        return slot.used && slot.ed25519 == key ? &slot.x25519 : nullptr;
    }
    void put(const Ed25519PublicKey& key, const FixedBytes<32>& x25519) {
        slots_[index(key)] = {key, x25519, true};
    }

private:
    static constexpr std::size_t kSlots = std::size_t{1} << 17;
    struct Slot {
        Ed25519PublicKey ed25519;
        FixedBytes<32> x25519;
        bool used = false;
    };
    static std::size_t index(const Ed25519PublicKey& key) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, key.data(), sizeof(bits));
        return bits & (kSlots - 1);
    }
    std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

}  // namespace

FixedBytes<32> ed25519_pk_to_x25519(const Ed25519PublicKey& public_key) {
    thread_local std::unique_ptr<ConversionCache> cache;
    if (!cache)
        cache = std::make_unique<ConversionCache>();
    if (const auto* known = cache->find(public_key))
        return *known;
    ensure_sodium();
    FixedBytes<32> out;
    if (crypto_sign_ed25519_pk_to_curve25519(out.data(), public_key.data()) != 0) {
        throw CryptoError("Ed25519 public key " + to_hex(public_key) + " is not a valid point");
    }
    cache->put(public_key, out);
    return out;
}

SecretBytes<32> ed25519_sk_to_x25519(const Ed25519SecretKey& secret_key) {
    ensure_sodium();
    SecretBytes<32> out;
    crypto_sign_ed25519_sk_to_curve25519(out.data(), secret_key.data());
    return out;
}

Ed25519Seed derived_seed(std::uint64_t seed, const std::string& label, std::size_t i) {
    FixedBytes<8> s;
    for (int b = 0; b < 8; ++b)
        s[b] = static_cast<std::uint8_t>(seed >> (8 * b));
    return Ed25519Seed::from(blake2b_256({s, as_bytes(label + std::to_string(i))}));
}

}  // namespace sessionsim::crypto
