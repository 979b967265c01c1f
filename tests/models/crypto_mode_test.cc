// The modelled crypto mode (models/crypto/mode.h) against the real one: the same sizes, the same
// accept/reject decisions and the same random draws, with only key-agreement and signature
// bytes different. Whole-run equivalence is tested in tests/sim/crypto_mode_equivalence_test.cc.
#include <gtest/gtest.h>
#include <sodium.h>

#include "models/common/errors.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/hash.h"
#include "models/crypto/mode.h"
#include "models/crypto/modelled.h"
#include "models/crypto/random.h"
#include "models/crypto/sealed_box.h"
#include "models/identity/blinding.h"
#include "models/identity/keys.h"
#include "models/message/session_encrypt.h"

namespace sessionsim::crypto {
namespace {

X25519KeyPair key_pair(std::uint64_t i) {
    SeededRandom random(i, "key pair");
    X25519SecretKey secret;
    random.fill(secret.mutable_view());
    return x25519_from_secret(secret);
}

identity::Identity person(std::uint64_t i) {
    return identity::Identity::from_ed25519_seed(derived_seed(7, "person ", i));
}

TEST(CryptoMode, IsRealUnlessAScopeSaysOtherwiseAndTheScopeRestoresIt) {
    EXPECT_EQ(crypto_mode(), CryptoMode::real);
    {
        const CryptoModeScope outer(CryptoMode::modelled);
        EXPECT_EQ(crypto_mode(), CryptoMode::modelled);
        {
            const CryptoModeScope inner(CryptoMode::real);
            EXPECT_EQ(crypto_mode(), CryptoMode::real);
        }
        EXPECT_EQ(crypto_mode(), CryptoMode::modelled);
    }
    EXPECT_EQ(crypto_mode(), CryptoMode::real);
    EXPECT_EQ(parse_crypto_mode("modelled"), CryptoMode::modelled);
    EXPECT_EQ(parse_crypto_mode("real"), CryptoMode::real);
    EXPECT_EQ(parse_crypto_mode("Real"), std::nullopt);
}

TEST(ModelledX25519, BothEndsAgreeAndAnyOtherKeyDisagrees) {
    const CryptoModeScope modelled(CryptoMode::modelled);
    const auto node = key_pair(1);
    const auto stranger = key_pair(2);
    SeededRandom random(3, "ephemeral");
    X25519SecretKey secret;
    random.fill(secret.mutable_view());
    const auto ephemeral = x25519_ephemeral(secret);
    EXPECT_NE(ephemeral.public_key, x25519_from_secret(secret).public_key);
    EXPECT_EQ(ephemeral.public_key[31] & 0x80, 0);
    EXPECT_EQ(x25519_shared_secret(ephemeral, node.public_key),
              x25519_shared_secret(node, ephemeral.public_key));
    EXPECT_NE(x25519_shared_secret(ephemeral, node.public_key),
              x25519_shared_secret(stranger, ephemeral.public_key));
    EXPECT_NE(x25519_shared_secret(ephemeral, node.public_key),
              x25519_shared_secret(ephemeral, stranger.public_key));
}

TEST(ModelledX25519, RefusesExactlyTheKeysLibsodiumRefuses) {
    const auto own = key_pair(4);
    const auto refused = [&](CryptoMode mode, const X25519PublicKey& peer) {
        const CryptoModeScope scope(mode);
        try {
            (void)x25519_shared_secret(own, peer);
            return false;
        } catch (const CryptoError&) {
            return true;
        }
    };
    // Every listed key, with and without the top bit that X25519 ignores, is refused by real
    // libsodium: the list has no typo.
    std::size_t listed = 0;
    for (auto key : modelled::x25519_low_order_keys()) {
        for (const std::uint8_t top : {0x00, 0x80}) {
            key[31] = static_cast<std::uint8_t>((key[31] & 0x7f) | top);
            EXPECT_TRUE(refused(CryptoMode::real, key)) << to_hex(key);
            EXPECT_TRUE(refused(CryptoMode::modelled, key)) << to_hex(key);
            ++listed;
        }
    }
    EXPECT_EQ(listed, 14u);
    // Small integers and the values around p (where every non-canonical encoding lies) get the
    // same decision in both modes, as do random keys.
    std::size_t compared = 0;
    for (int k = 0; k < 64; ++k) {
        X25519PublicKey small{};
        small[0] = static_cast<std::uint8_t>(k);
        X25519PublicKey near_p;
        near_p.fill(0xff);
        near_p[31] = 0x7f;
        near_p[0] = static_cast<std::uint8_t>(0xed - 32 + k);  // p - 32 .. p + 31
        for (const auto& key : {small, near_p, key_pair(100 + k).public_key}) {
            EXPECT_EQ(refused(CryptoMode::real, key), refused(CryptoMode::modelled, key))
                << to_hex(key);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 192u);
}

// A hostile relay that flips the top bit of an ephemeral key changes nothing in real X25519
// (the bit is ignored), nor does a key written as u + p: the modelled mode must agree, or the
// corrupt-relay scenarios would decide differently (found by the whole-run equivalence test).
TEST(ModelledX25519, EncodingsOfOneKeyGiveOneSecretInBothModes) {
    const auto own = key_pair(9);
    X25519PublicKey two{};
    two[0] = 2;
    X25519PublicKey two_plus_p;
    two_plus_p.fill(0xff);
    two_plus_p[0] = 0xef;
    two_plus_p[31] = 0x7f;
    for (const auto mode : {CryptoMode::real, CryptoMode::modelled}) {
        const CryptoModeScope scope(mode);
        auto peer = key_pair(10).public_key;
        const auto secret = x25519_shared_secret(own, peer);
        peer[31] ^= 0x80;
        EXPECT_EQ(x25519_shared_secret(own, peer), secret) << to_string(mode);
        peer[0] ^= 0x01;
        EXPECT_NE(x25519_shared_secret(own, peer), secret) << to_string(mode);
        EXPECT_EQ(x25519_shared_secret(own, two_plus_p), x25519_shared_secret(own, two))
            << to_string(mode);
    }
}

TEST(SealedBox, RealModeIsLibsodiumsSealedBoxBothWays) {
    const auto recipient = key_pair(5);
    const auto ephemeral = key_pair(6);
    const Bytes message = {'h', 'e', 'l', 'l', 'o'};
    const Bytes sealed = sealed_box_seal_with(message, recipient.public_key, ephemeral);
    Bytes opened(message.size());
    ASSERT_EQ(crypto_box_seal_open(opened.data(), sealed.data(), sealed.size(),
                                   recipient.public_key.data(), recipient.secret_key.data()),
              0);
    EXPECT_EQ(opened, message);
    EXPECT_EQ(sealed_box_open(sealed_box_seal(message, recipient.public_key), recipient), message);
    EXPECT_EQ(sealed_box_open(sealed, key_pair(7)), std::nullopt);
}

TEST(SealedBox, ModelledModeOpensForTheRecipientOnlyAndKeepsTheSize) {
    const auto recipient = key_pair(5);
    SeededRandom random(8, "box");
    X25519SecretKey secret;
    random.fill(secret.mutable_view());
    const Bytes message(100, 'm');
    const Bytes real =
        sealed_box_seal_with(message, recipient.public_key, x25519_ephemeral(secret));
    const CryptoModeScope modelled(CryptoMode::modelled);
    Bytes sealed = sealed_box_seal_with(message, recipient.public_key, x25519_ephemeral(secret));
    EXPECT_EQ(sealed.size(), real.size());
    EXPECT_NE(sealed, real);
    EXPECT_EQ(sealed_box_open(sealed, recipient), message);
    EXPECT_EQ(sealed_box_open(sealed, key_pair(7)), std::nullopt);
    sealed[40] ^= 1;
    EXPECT_EQ(sealed_box_open(sealed, recipient), std::nullopt);
}

TEST(ModelledEd25519, VerifiesUnderTheSignerOnlyAndFailsOnAnyChange) {
    const auto alice = ed25519_from_seed(derived_seed(1, "alice ", 0));
    const auto bob = ed25519_from_seed(derived_seed(1, "bob ", 0));
    const Bytes message = {'s', 'i', 'g', 'n'};
    const auto real = ed25519_sign(alice.secret_key, message);
    const CryptoModeScope modelled(CryptoMode::modelled);
    auto signature = ed25519_sign(alice.secret_key, message);
    EXPECT_NE(signature, real);
    EXPECT_TRUE(ed25519_verify(alice.public_key, signature, message));
    EXPECT_FALSE(ed25519_verify(bob.public_key, signature, message));
    EXPECT_FALSE(ed25519_verify(alice.public_key, signature, Bytes{'s', 'i', 'g', 'N'}));
    EXPECT_FALSE(ed25519_verify(alice.public_key, ed25519_sign(bob.secret_key, message), message));
    signature[63] ^= 1;
    EXPECT_FALSE(ed25519_verify(alice.public_key, signature, message));
}

TEST(ModelledEd25519, BlindedSignaturesVerifyUnderTheBlindedKey) {
    const auto user = person(1);
    const auto server = ed25519_from_seed(derived_seed(1, "server ", 0)).public_key;
    const Bytes message = {'p', 'o', 's', 't'};
    const auto blinded = identity::blind15(user.ed25519().secret_key, server);
    for (const auto mode : {CryptoMode::real, CryptoMode::modelled}) {
        const CryptoModeScope scope(mode);
        const auto signature = identity::blind15_sign(user.ed25519().secret_key, server, message);
        EXPECT_TRUE(ed25519_verify(blinded.public_key, signature, message)) << to_string(mode);
        EXPECT_FALSE(ed25519_verify(user.ed25519().public_key, signature, message))
            << to_string(mode);
    }
}

TEST(ModelledCrypto, SessionMessagesHaveTheSameSizeDecisionsAndRandomDraws) {
    const auto alice = person(2);
    const auto bob = person(3);
    const auto carol = person(4);
    const Bytes message(321, 'x');
    struct Outcome {
        std::size_t size;
        bool bob_opens, carol_opens;
        std::uint64_t next_draw;
        Bytes ciphertext;
    };
    const auto send = [&](CryptoMode mode) {
        const CryptoModeScope scope(mode);
        SeededRandom random(9, "send");
        const Bytes ciphertext =
            message::encrypt_for_recipient(alice, bob.x25519().public_key, message, random);
        const auto opens = [&](const identity::Identity& who) {
            try {
                const auto got = message::decrypt_incoming(who, ciphertext);
                EXPECT_EQ(got.message, message);
                EXPECT_EQ(got.sender_session_id.to_hex(), alice.session_id().to_hex());
                return true;
            } catch (const message::DecryptError&) {
                return false;
            }
        };
        return Outcome{ciphertext.size(), opens(bob), opens(carol), random.next_u64(), ciphertext};
    };
    const auto real = send(CryptoMode::real);
    const auto modelled = send(CryptoMode::modelled);
    EXPECT_EQ(real.size, modelled.size);
    EXPECT_TRUE(real.bob_opens);
    EXPECT_TRUE(modelled.bob_opens);
    EXPECT_FALSE(real.carol_opens);
    EXPECT_FALSE(modelled.carol_opens);
    EXPECT_EQ(real.next_draw, modelled.next_draw);
    EXPECT_NE(real.ciphertext, modelled.ciphertext);
}

}  // namespace
}  // namespace sessionsim::crypto
