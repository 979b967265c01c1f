#include "models/crypto/modelled.h"

#include <algorithm>
#include <array>

#include "models/common/errors.h"
#include "models/crypto/hash.h"

namespace sessionsim::crypto::modelled {

// Each primitive hashes under its own BLAKE2b key, so no output of one can pass for another's.

X25519PublicKey x25519_public(const X25519SecretKey& secret_key) {
    auto key = blake2b_256({secret_key.view()}, as_bytes("sessionsim modelled x25519 public"));
    key[31] &= 0x7f;
    return key;
}

std::span<const X25519PublicKey> x25519_low_order_keys() {
    // Little-endian u-coordinates; p = 2^255 - 19.
    static constexpr std::array<X25519PublicKey, 7> kLowOrder{{
        {0x00},
        {0x01},
        {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
         0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
         0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
        {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
         0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
         0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
        {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    }};
    return kLowOrder;
}

bool x25519_small_order(const X25519PublicKey& key) {
    const auto low_orders = x25519_low_order_keys();
    return std::any_of(low_orders.begin(), low_orders.end(), [&](const X25519PublicKey& low) {
        return std::equal(low.begin(), low.end() - 1, key.begin()) && low[31] == (key[31] & 0x7f);
    });
}

namespace {

/// X25519 reads a public key with its top bit cleared and modulo p (RFC 7748, section 5), so
/// encodings that differ only there are one key: a relay that flips the top bit of an ephemeral
/// key changes nothing in real crypto, and must change nothing here.
X25519PublicKey canonical(X25519PublicKey u) {
    u[31] &= 0x7f;
    // Little-endian p = ed ff .. ff 7f; the only u >= p are p + 0 .. p + 18.
    const bool at_least_p =
        u[31] == 0x7f && u[0] >= 0xed &&
        std::all_of(u.begin() + 1, u.end() - 1, [](auto b) { return b == 0xff; });
    if (at_least_p) {
        const auto reduced = static_cast<std::uint8_t>(u[0] - 0xed);
        u.fill(0);
        u[0] = reduced;
    }
    return u;
}

}  // namespace

SecretBytes<32> x25519_shared(const X25519PublicKey& own, const X25519PublicKey& peer) {
    if (x25519_small_order(peer))
        throw CryptoError("X25519 with a low-order public key " + to_hex(peer));
    const auto a = canonical(own), b = canonical(peer);
    const bool a_first = std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    return SecretBytes<32>::from(blake2b_256({a_first ? a : b, a_first ? b : a},
                                             as_bytes("sessionsim modelled x25519 shared")));
}

Ed25519Signature ed25519_signature(const Ed25519PublicKey& signer, ByteView message) {
    return blake2b_512({signer, message}, as_bytes("sessionsim modelled ed25519 sig"));
}

}  // namespace sessionsim::crypto::modelled
