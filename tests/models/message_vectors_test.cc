// session_encrypt.json, message_hash.json and snode_auth_signatures.json, every entry; plus the
// one-to-one message pipeline around them.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/crypto/random.h"
#include "models/message/config_message.h"
#include "models/message/envelope.h"
#include "models/message/one_to_one.h"
#include "models/message/ons_response.h"
#include "models/message/padding.h"
#include "models/message/push_notification.h"
#include "models/message/session_encrypt.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_signatures.h"
#include "tests/support/vectors.h"

namespace sessionsim::message {
namespace {

using nlohmann::json;

identity::Identity identity_from_seed32(const std::string& hex) {
    return identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(from_hex(hex)));
}

std::string text(const Bytes& b) {
    return std::string(b.begin(), b.end());
}

void check_deterministic_encrypt(const json& v) {
    const auto sender = identity_from_seed32(v.at("sender_ed25519_seed"));
    const auto recipient =
        identity::AccountId::parse(v.at("recipient_session_id").get<std::string>());
    const std::string message = v.at("message_utf8");
    const Bytes ct = encrypt_for_recipient_deterministic(sender, recipient.key, as_bytes(message));
    EXPECT_EQ(to_hex(ct), v.at("ciphertext"));
    EXPECT_EQ(ct.size(), 149u);
}

void check_ons(const json& v) {
    const auto id = decrypt_ons_response(
        v.at("name").get<std::string>(), from_hex(v.at("ciphertext").get<std::string>()),
        fixed_from_hex<24>(v.at("nonce").get<std::string>(), "nonce"));
    EXPECT_EQ(id.to_hex(), v.at("expected_session_id"));
    EXPECT_THROW(decrypt_ons_response("other", from_hex(v.at("ciphertext").get<std::string>()),
                                      fixed_from_hex<24>(v.at("nonce").get<std::string>(), "n")),
                 InvalidInput);
}

void check_push(const json& v) {
    const auto key = fixed_from_hex<32>(v.at("enc_key").get<std::string>(), "enc_key");
    EXPECT_EQ(text(decrypt_push_notification(from_hex(v.at("payload").get<std::string>()), key)),
              v.at("expected_plaintext_utf8"));
}

void check_padding(const json& v) {
    for (const auto& c : v.at("cases")) {
        const std::size_t len = c.at("content_len");
        EXPECT_EQ(padded_length(len), c.at("libsession_pad_message_len").get<std::size_t>()) << len;
        EXPECT_EQ(legacy_padded_length(len),
                  c.at("old_desktop_addMessagePadding_len").get<std::size_t>())
            << len;
        const Bytes content(len, 0x41);
        const Bytes padded = pad_message(content);
        EXPECT_EQ(padded.size(), padded_length(len));
        EXPECT_EQ(unpad_message(padded), content);
    }
}

void check_config(const json& v) {
    const auto key_base = fixed_from_hex<32>(v.at("key_base").get<std::string>(), "key_base");
    const std::string message = v.at("message_utf8");
    const Bytes ct =
        encrypt_config_message(as_bytes(message), key_base, v.at("domain").get<std::string>());
    EXPECT_EQ(to_hex(ct), v.at("ciphertext"));
    EXPECT_EQ(to_hex(ByteView(ct).last(24)), v.at("nonce_is_last_24_bytes"));
    EXPECT_EQ(text(decrypt_config_message(ct, key_base, v.at("domain").get<std::string>())),
              message);
    const Bytes other = encrypt_config_message(as_bytes(message), key_base, "test-suite2");
    EXPECT_EQ(to_hex(ByteView(other).last(24)), v.at("nonce_for_domain_test-suite2"));
    EXPECT_THROW(decrypt_config_message(ct, key_base, "test-suite2"), InvalidInput);
}

TEST(SessionEncryptVectors, EveryEntry) {
    const auto doc = test::load_vectors("session_encrypt.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        const std::string kind = v.at("kind");
        SCOPED_TRACE(kind);
        if (kind == "encrypt_for_recipient_deterministic") {
            check_deterministic_encrypt(v);
        } else if (kind == "decrypt_ons_response") {
            check_ons(v);
        } else if (kind == "decrypt_push_notification") {
            check_push(v);
        } else if (kind == "content padding lengths") {
            check_padding(v);
        } else if (kind.rfind("config_encrypt", 0) == 0) {
            check_config(v);
        } else {
            ADD_FAILURE() << "unhandled vector kind " << kind;
            continue;
        }
        ++checked;
    }
    EXPECT_EQ(checked, 5u);
    test::record_checked("session_encrypt.json", checked);
}

TEST(SessionEncryptVectors, DeterministicCiphertextDecryptsToSenderAndMessage) {
    const auto v = test::load_vectors("session_encrypt.json").at("vectors").at(0);
    // The recipient of the vector is the LS test's second account (seed 0011..ff || 0*16).
    const auto recipient =
        identity_from_seed32("00112233445566778899aabbccddeeff00000000000000000000000000000000");
    ASSERT_EQ(recipient.session_id().to_hex(), v.at("recipient_session_id"));
    const auto out = decrypt_incoming(recipient, from_hex(v.at("ciphertext").get<std::string>()));
    EXPECT_EQ(text(out.message), v.at("expected_decrypt").at("message_utf8"));
    EXPECT_EQ(to_hex(out.sender_ed25519), v.at("expected_decrypt").at("sender_ed25519_pubkey"));
    EXPECT_EQ(out.sender_session_id.to_hex(),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
}

TEST(MessageHashVectors, EveryEntry) {
    const auto doc = test::load_vectors("message_hash.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        const auto owner = identity::AccountId::parse(v.at("pubkey").get<std::string>());
        const std::string utf8 = v.value("data_utf8", "");
        const Bytes data = v.contains("data_base64")
                               ? from_base64(v.at("data_base64").get<std::string>())
                               : Bytes(utf8.begin(), utf8.end());
        EXPECT_EQ(storage::message_hash(owner, v.at("namespace").get<storage::Namespace>(), data),
                  v.at("expected_hash"))
            << v.dump();
        ++checked;
    }
    EXPECT_EQ(checked, 7u);
    test::record_checked("message_hash.json", checked);
}

TEST(MessageHashVectors, OfficialDataIsARealWebSocketEnvelope) {
    const auto v = test::load_vectors("message_hash.json").at("vectors").at(0);
    const auto env = unwrap_envelope(from_base64(v.at("data_base64").get<std::string>()));
    EXPECT_EQ(env.type, kEnvelopeSessionMessage);
    EXPECT_GT(env.timestamp_ms, 1'600'000'000'000u);
    EXPECT_GT(env.content.size(), 100u);
}

TEST(SnodeAuthSignatureVectors, EveryEntry) {
    const auto doc = test::load_vectors("snode_auth_signatures.json");
    const auto signer =
        identity_from_seed32("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        const std::string method = v.at("method");
        std::string expected_string;
        if (method == "retrieve") {
            expected_string =
                storage::retrieve_signed_string(v.at("namespace"), v.at("timestamp_ms"));
        } else if (method == "store") {
            expected_string = storage::store_signed_string(v.at("namespace"), v.at("timestamp_ms"));
        } else if (method == "delete_all") {
            const auto& ns = v.at("namespace");
            expected_string = storage::delete_all_signed_string(
                ns.is_string() ? std::nullopt
                               : std::optional<storage::Namespace>(ns.get<storage::Namespace>()),
                v.at("timestamp_ms"));
        } else if (method == "delete") {
            const auto hashes = v.at("messages").get<std::vector<std::string>>();
            expected_string = storage::delete_signed_string(hashes);
        }
        EXPECT_EQ(expected_string, v.at("signed_message_utf8")) << method;
        EXPECT_EQ(storage::sign_request(signer, expected_string), v.at("signature_base64"))
            << method;
        const auto sig = fixed_from_hex<64>(
            to_hex(from_base64(v.at("signature_base64").get<std::string>())), "sig");
        EXPECT_TRUE(storage::verify_request_signature(
            signer.session_id(), signer.ed25519().public_key, sig, expected_string));
        EXPECT_FALSE(storage::verify_request_signature(
            signer.session_id(), signer.ed25519().public_key, sig, expected_string + "0"));
        ++checked;
    }
    EXPECT_EQ(checked, 7u);
    test::record_checked("snode_auth_signatures.json", checked);
}

TEST(OneToOne, ComposeThenOpenRecoversTextSenderAndTimestamp) {
    const auto alice =
        identity_from_seed32("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    const auto bob =
        identity_from_seed32("00112233445566778899aabbccddeeff00000000000000000000000000000000");
    crypto::SeededRandom random(1, "test");
    const Bytes stored =
        compose_text_message(alice, bob.x25519().public_key, "hi bob", 1'700'000'000'123, random);
    const auto got = open_text_message(bob, stored);
    EXPECT_EQ(got.text, "hi bob");
    EXPECT_EQ(got.sender, alice.session_id());
    EXPECT_EQ(got.timestamp_ms, 1'700'000'000'123u);
    // Sizes leak only the 160-byte padding bucket.
    const Bytes longer = compose_text_message(alice, bob.x25519().public_key, "hi bob, longer",
                                              1'700'000'000'123, random);
    EXPECT_EQ(longer.size(), stored.size());
    EXPECT_THROW(open_text_message(alice, stored), DecryptError);
}

TEST(SessionEncrypt, TamperedOrTruncatedCiphertextIsRejectedWithReason) {
    const auto alice =
        identity_from_seed32("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    const auto bob =
        identity_from_seed32("00112233445566778899aabbccddeeff00000000000000000000000000000000");
    Bytes ct = encrypt_for_recipient_deterministic(alice, bob.x25519().public_key, as_bytes("x"));
    for (std::size_t i = 0; i < ct.size(); i += 7) {
        Bytes bad = ct;
        bad[i] ^= 0x01;
        EXPECT_THROW(decrypt_incoming(bob, bad), DecryptError) << "byte " << i;
    }
    EXPECT_THROW(decrypt_incoming(bob, ByteView(ct).first(40)), DecryptError);
    EXPECT_THROW(unwrap_envelope(as_bytes("not a protobuf at all \xff\xff")), InvalidInput);
}

}  // namespace
}  // namespace sessionsim::message
