// Crypto wrappers against official vectors (libsession) and standard known answers.
#include <gtest/gtest.h>
#include <sodium.h>

#include <optional>

#include "models/common/bytes.h"
#include "models/crypto/aead.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/hash.h"
#include "models/crypto/random.h"
#include "models/crypto/sealed_box.h"
#include "models/crypto/sodium.h"
#include "models/crypto/x25519.h"
#include "tests/support/skips.h"
#include "tests/support/vectors.h"

namespace sessionsim::crypto {
namespace {

template <std::size_t N>
SecretBytes<N> secret(std::string_view hex) {
    return SecretBytes<N>::from(from_hex(hex));
}

TEST(Hash, KnownAnswers) {
    EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(blake2b(64, {as_bytes("abc")})),
              "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
              "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    EXPECT_EQ(to_hex(blake2b_256({})),
              "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    // RFC 4231 test case 2.
    EXPECT_EQ(to_hex(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hash, Blake2bOfPartsEqualsBlake2bOfConcatenation) {
    EXPECT_EQ(blake2b_256({as_bytes("ab"), as_bytes("c")}), blake2b_256({as_bytes("abc")}));
    EXPECT_NE(blake2b_256({as_bytes("abc")}, as_bytes("key")), blake2b_256({as_bytes("abc")}));
    EXPECT_THROW(blake2b(8, {}), CryptoError);
}

TEST(Ed25519, OfficialSignatureAndKeyConversionVectors) {
    const auto doc = test::load_vectors("identity.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        const std::string kind = v.value("kind", "");
        if (kind == "ed25519_signature") {
            const auto kp = ed25519_from_seed(secret<32>(v.at("ed25519_seed").get<std::string>()));
            const auto sig =
                ed25519_sign(kp.secret_key, as_bytes(v.at("message_utf8").get<std::string>()));
            EXPECT_EQ(to_hex(sig), v.at("signature"));
            EXPECT_TRUE(ed25519_verify(kp.public_key, sig, as_bytes("hello")));
            EXPECT_FALSE(ed25519_verify(kp.public_key, sig, as_bytes("hellO")));
            ++checked;
        } else if (kind == "ed25519_sk_to_x25519_sk") {
            const auto sk = secret<64>(v.at("ed25519_secret_key_64").get<std::string>());
            EXPECT_EQ(to_hex(ed25519_sk_to_x25519(sk).view()), v.at("x25519_secret"));
            ++checked;
        }
    }
    EXPECT_EQ(checked, 3u);
    test::record_checked("identity.json (signature/conversion entries)", checked);
}

TEST(Ed25519, InvalidPointIsRejected) {
    Ed25519PublicKey not_a_point;
    not_a_point.fill(0xff);
    EXPECT_THROW(ed25519_pk_to_x25519(not_a_point), CryptoError);
    EXPECT_THROW(ed25519_pk_to_x25519(not_a_point), CryptoError);  // refusals are not cached
}

// Conversions are cached (ed25519.cc): asked again, and after many other keys have taken the
// cache's slots, each key still gets libsodium's own answer.
TEST(Ed25519, CachedConversionsAreLibsodiumsAnswers) {
    std::vector<Ed25519PublicKey> keys;
    for (std::size_t i = 0; i < 2000; ++i)
        keys.push_back(ed25519_from_seed(derived_seed(5, "conversion ", i)).public_key);
    for (int round = 0; round < 2; ++round) {
        for (const auto& key : keys) {
            FixedBytes<32> expected;
            ASSERT_EQ(crypto_sign_ed25519_pk_to_curve25519(expected.data(), key.data()), 0);
            ASSERT_EQ(ed25519_pk_to_x25519(key), expected) << round;
        }
    }
}

/// The official libsession single-layer onion vector exercises X25519, both key derivations
/// (HMAC-SHA256 keyed "LOKI"; BLAKE2b-256(shared || A || B)) and both AEADs.
class OfficialOnionLayer : public ::testing::Test {
protected:
    void SetUp() override {
        v_ = test::load_vectors("onion.json").at("official").at(0);
        node_ = x25519_from_secret(secret<32>(s("node_x25519_secret_b")));
        client_pk_ = fixed_from_hex<32>(s("client_ephemeral_x25519_pubkey_A"), "A");
        const auto shared = x25519_shared_secret(node_, client_pk_);
        gcm_key_ = hmac_sha256(as_bytes("LOKI"), shared.view());
        xchacha_key_ = blake2b_256({shared.view(), client_pk_, node_.public_key});
    }
    std::string s(const char* key) const { return v_.at(key).get<std::string>(); }

    /// iv(12) || ciphertext || tag
    std::optional<Bytes> open_gcm(const Bytes& blob) const {
        const auto iv = fixed_from_hex<kAesGcmNonceSize>(to_hex(ByteView(blob).first(12)), "iv");
        return aes256gcm_decrypt(AeadKey::from(gcm_key_), iv, ByteView(blob).subspan(12));
    }
    /// nonce(24) || ciphertext || tag
    std::optional<Bytes> open_xchacha(const Bytes& blob) const {
        const auto nonce =
            fixed_from_hex<kXChaChaNonceSize>(to_hex(ByteView(blob).first(24)), "nonce");
        return xchacha20poly1305_decrypt(AeadKey::from(xchacha_key_), nonce,
                                         ByteView(blob).subspan(24));
    }

    nlohmann::json v_;
    X25519KeyPair node_;
    X25519PublicKey client_pk_{};
    FixedBytes<32> gcm_key_{};
    FixedBytes<32> xchacha_key_{};
};

TEST_F(OfficialOnionLayer, DerivesKeysAndDecryptsBothCiphers) {
    ASSERT_EQ(to_hex(node_.public_key), s("node_x25519_pubkey_B"));
    const auto client = x25519_from_secret(secret<32>(s("client_ephemeral_x25519_secret_a")));
    ASSERT_EQ(to_hex(client.public_key), s("client_ephemeral_x25519_pubkey_A"));
    EXPECT_EQ(x25519_shared_secret(node_, client_pk_),
              x25519_shared_secret(client, node_.public_key));
    EXPECT_EQ(to_hex(gcm_key_), s("aes_gcm_key_derived_by_research"));
    EXPECT_EQ(to_hex(xchacha_key_), s("xchacha20_key_derived_by_research"));

    const auto plain = open_xchacha(from_hex(s("xchacha20_ciphertext")));
    ASSERT_TRUE(plain);
    EXPECT_EQ(std::string(plain->begin(), plain->end()), "Hello world");
    if (!aes256gcm_available()) {
        test::record_checked("onion.json (official single layer)", 1);
        test::record_skipped("onion.json (official single layer)", 1, test::kAesNi);
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "the AES-GCM ciphertext was not opened");
    }
    const auto gcm_plain = open_gcm(from_hex(s("aes_gcm_ciphertext")));
    ASSERT_TRUE(gcm_plain);
    EXPECT_EQ(std::string(gcm_plain->begin(), gcm_plain->end()), "Hello world");
    test::record_checked("onion.json (official single layer)", 2);
}

TEST_F(OfficialOnionLayer, TamperedCiphertextsFailToAuthenticate) {
    for (const auto& entry : v_.at("must_fail")) {
        const std::string text = entry.get<std::string>();
        const Bytes blob = from_hex(text.substr(0, text.find(' ')));
        if (text.find("gcm") == std::string::npos) {
            EXPECT_FALSE(open_xchacha(blob)) << text;
        } else if (aes256gcm_available()) {
            EXPECT_FALSE(open_gcm(blob)) << text;
        }
    }
    if (!aes256gcm_available())
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "the AES-GCM half was not checked");
}

TEST(Aead, RoundTripWithAssociatedDataAndShortInput) {
    const auto key = AeadKey::from(blake2b_256({as_bytes("key")}));
    FixedBytes<24> nonce{};
    const Bytes ct = xchacha20poly1305_encrypt(key, nonce, as_bytes("payload"), as_bytes("ad"));
    EXPECT_EQ(ct.size(), 7 + kAeadTagSize);
    EXPECT_TRUE(xchacha20poly1305_decrypt(key, nonce, ct, as_bytes("ad")));
    EXPECT_FALSE(xchacha20poly1305_decrypt(key, nonce, ct, as_bytes("AD")));
    EXPECT_FALSE(xchacha20poly1305_decrypt(key, nonce, Bytes(5)));
    if (!aes256gcm_available())
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "the AES-GCM half was not checked");
    FixedBytes<12> iv{};
    const Bytes gct = aes256gcm_encrypt(key, iv, as_bytes("payload"));
    const auto back = aes256gcm_decrypt(key, iv, gct);
    ASSERT_TRUE(back);
    EXPECT_EQ(std::string(back->begin(), back->end()), "payload");
}

TEST(SealedBox, RandomAndChosenEphemeralBothOpen) {
    const auto recipient = x25519_from_seed(SecretBytes<32>::from(blake2b_256({as_bytes("r")})));
    const Bytes sealed = sealed_box_seal(as_bytes("hi"), recipient.public_key);
    EXPECT_EQ(sealed.size(), 2 + kSealedBoxOverhead);
    EXPECT_TRUE(sealed_box_open(sealed, recipient));

    const auto eph = x25519_from_seed(SecretBytes<32>::from(blake2b_256({as_bytes("e")})));
    const Bytes a = sealed_box_seal_with(as_bytes("hi"), recipient.public_key, eph);
    EXPECT_EQ(a, sealed_box_seal_with(as_bytes("hi"), recipient.public_key, eph));
    const auto opened = sealed_box_open(a, recipient);
    ASSERT_TRUE(opened);
    EXPECT_EQ(std::string(opened->begin(), opened->end()), "hi");

    Bytes tampered = a;
    tampered.back() ^= 1;
    EXPECT_FALSE(sealed_box_open(tampered, recipient));
    EXPECT_FALSE(sealed_box_open(Bytes(10), recipient));
}

TEST(SecretBytes, FromRejectsWrongLength) {
    EXPECT_THROW(SecretBytes<32>::from(Bytes(31)), InvalidInput);
}

TEST(X25519, LowOrderPeerKeyIsRejected) {
    const auto kp = x25519_from_seed(SecretBytes<32>::from(blake2b_256({as_bytes("k")})));
    X25519PublicKey zero{};
    EXPECT_THROW(x25519_shared_secret(kp, zero), CryptoError);
}

TEST(Random, DeterministicStreamRepeatsAndSystemStreamDiffers) {
    FixedBytes<32> seed{};
    FixedBytes<64> a{}, b{}, c{}, d{};
    deterministic_random(a, seed);
    deterministic_random(b, seed);
    EXPECT_EQ(a, b);
    system_random(c);
    system_random(d);
    EXPECT_NE(c, d);
}

// The run seed's stream is the same bytes however it is drawn: 1,024-byte ChaCha20 runs, nonce
// 0, 1, 2, ... in turn (what every results file was made with before the buffer shrank).
TEST(SeededRandom, IsTheChaCha20RunsOfItsKeyWhateverTheDrawSizes) {
    FixedBytes<32> key{};
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<std::uint8_t>(7 * i + 1);
    std::vector<std::uint8_t> expected;
    for (std::uint64_t run = 0; run < 4; ++run) {
        std::uint8_t nonce[8] = {};
        for (int i = 0; i < 8; ++i)
            nonce[i] = static_cast<std::uint8_t>(run >> (8 * i));
        std::vector<std::uint8_t> block(1024, 0);
        crypto_stream_chacha20(block.data(), block.size(), nonce, key.data());
        expected.insert(expected.end(), block.begin(), block.end());
    }
    SeededRandom random(key);
    std::vector<std::uint8_t> drawn;
    for (std::size_t size = 1; drawn.size() + size <= expected.size(); size = size * 3 % 257 + 1) {
        std::vector<std::uint8_t> part(size);
        random.fill(part);
        drawn.insert(drawn.end(), part.begin(), part.end());
    }
    ASSERT_GT(drawn.size(), 3000u);
    EXPECT_TRUE(std::equal(drawn.begin(), drawn.end(), expected.begin()));
    EXPECT_LE(sizeof(SeededRandom), 256u);  // held twice by each of a million clients
}

}  // namespace
}  // namespace sessionsim::crypto
