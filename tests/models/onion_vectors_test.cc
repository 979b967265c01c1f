// Onion requests against onion.json: the official libsession entry blobs, and the derived
// 3-hop onions rebuilt byte for byte, peeled hop by hop, and answered.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/onion/builder.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/onion/response.h"
#include "tests/support/scripted_random.h"
#include "tests/support/skips.h"
#include "tests/support/vectors.h"

namespace sessionsim::onion {
namespace {

using nlohmann::json;

crypto::X25519KeyPair keypair(const std::string& secret_hex) {
    return crypto::x25519_from_secret(crypto::X25519SecretKey::from(from_hex(secret_hex)));
}

std::string text(const Bytes& b) {
    return std::string(b.begin(), b.end());
}

TEST(OnionVectors, OfficialEntryBlobsParseDecryptAndAnswer) {
    const auto v = test::load_vectors("onion.json").at("official").at(1);
    const auto node = keypair(v.at("node_x25519_secret_b"));
    ASSERT_EQ(to_hex(node.public_key), v.at("node_x25519_pubkey_B"));
    const auto client = keypair(v.at("client_ephemeral_x25519_secret_a"));
    std::size_t checked = 0;
    bool aes_gcm_skipped = false;
    for (const auto& [field, type] : {std::pair{"blob_aes_gcm", EncType::aes_gcm},
                                      std::pair{"blob_xchacha20", EncType::xchacha20}}) {
        if (type == EncType::aes_gcm && !crypto::aes256gcm_available()) {
            aes_gcm_skipped = true;
            continue;
        }
        SCOPED_TRACE(field);
        const auto parsed = parse_entry_request(from_hex(v.at(field).get<std::string>()));
        ASSERT_TRUE(std::holds_alternative<LayerEnvelope>(parsed));
        const auto& layer = std::get<LayerEnvelope>(parsed);
        EXPECT_EQ(layer.enc_type, type);
        EXPECT_EQ(to_hex(layer.ephemeral_key), v.at("client_ephemeral_x25519_pubkey_A"));
        EXPECT_EQ(layer.hop_no, 0);
        const auto key = LayerKey::for_hop(layer.enc_type, node, layer.ephemeral_key);
        const auto plain = key.decrypt(layer.ciphertext);
        ASSERT_TRUE(plain);
        EXPECT_EQ(text(*plain), v.at("expected_payload_utf8"));

        // The reply check: the node answers with the same key; lengths as the vector states.
        crypto::SystemRandom random;
        const Bytes reply = key.encrypt(as_bytes("Goodbye world"), random);
        EXPECT_EQ(reply.size(), type == EncType::aes_gcm ? 41u : 53u);
        const auto client_key = LayerKey::for_client(type, client, node.public_key);
        const auto opened = client_key.decrypt(reply);
        ASSERT_TRUE(opened);
        EXPECT_EQ(text(*opened), "Goodbye world");
        ++checked;
    }
    EXPECT_EQ(checked, aes_gcm_skipped ? 1u : 2u);
    test::record_checked("onion.json (official entry blobs)", checked);
    if (aes_gcm_skipped) {
        test::record_skipped("onion.json (official entry blobs)", 1, test::kAesNi);
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "the AES-GCM blob was not checked");
    }
}

class DerivedOnion : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override {
        v_ = test::load_vectors("onion.json").at("derived_multi_hop").at(GetParam());
    }
    json v_;
};

TEST_P(DerivedOnion, BuildsPeelsAndAnswersByteForByte) {
    const EncType type = v_.at("name").get<std::string>().find("xchacha20") != std::string::npos
                             ? EncType::xchacha20
                             : EncType::aes_gcm;
    if (type == EncType::aes_gcm && !crypto::aes256gcm_available()) {
        test::record_skipped("onion.json (derived 3-hop: 4 layers + entry + reply)", 6,
                             test::kAesNi);
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "libsodium's AES-256-GCM needs it");
    }
    const auto& hops = v_.at("hops");
    ASSERT_EQ(hops.size(), 4u);
    std::vector<NodeKeys> path;
    std::vector<crypto::X25519KeyPair> secrets;
    for (const auto& h : hops) {
        secrets.push_back(keypair(h.at("x25519_secret")));
        EXPECT_EQ(to_hex(secrets.back().public_key), h.at("x25519_pubkey"));
        path.push_back({fixed_from_hex<32>(h.at("x25519_pubkey").get<std::string>(), "x"),
                        fixed_from_hex<32>(h.at("ed25519_pubkey").get<std::string>(), "ed")});
    }
    const NodeKeys destination = path.back();
    path.pop_back();

    // Client: the builder draws (ephemeral secret, nonce) per layer, innermost first.
    test::ScriptedRandom script;
    const auto& layers = v_.at("layers_innermost_first");
    for (const auto& l : layers) {
        script.push(from_hex(l.at("ephemeral_secret").get<std::string>()));
        script.push(from_hex(l.at("nonce").get<std::string>()));
    }
    const std::string payload_text = v_.at("payload_utf8");
    const Bytes payload(payload_text.begin(), payload_text.end());
    const auto built = build_onion(path, destination, payload, type, script, /*trace=*/true);
    EXPECT_TRUE(script.exhausted());
    EXPECT_EQ(to_hex(built.entry_body), v_.at("guard_request_hex"));
    ASSERT_EQ(built.layers.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& expected = layers.at(3 - i);  // the vector lists innermost first
        SCOPED_TRACE(expected.at("recipient").get<std::string>());
        EXPECT_EQ(to_hex(built.layers[i].ephemeral_public), expected.at("ephemeral_public"));
        EXPECT_EQ(to_hex(built.layers[i].plaintext), expected.at("plaintext_hex"));
        EXPECT_EQ(to_hex(built.layers[i].ciphertext), expected.at("ciphertext_hex"));
        if (expected.contains("routing_json")) {
            EXPECT_EQ(built.layers[i].routing.dump(), expected.at("routing_json"));
        }
    }

    // Nodes: peel hop by hop with each node's own key.
    crypto::SystemRandom unused;
    auto entry = parse_entry_request(built.entry_body);
    ASSERT_TRUE(std::holds_alternative<LayerEnvelope>(entry));
    LayerEnvelope layer = std::get<LayerEnvelope>(entry);
    for (std::size_t hop = 0; hop < 3; ++hop) {
        const auto action = peel_layer(layer, secrets[hop], unused);
        ASSERT_TRUE(std::holds_alternative<ForwardToNode>(action)) << "hop " << hop;
        const auto& fwd = std::get<ForwardToNode>(action);
        EXPECT_EQ(fwd.next, (hop < 2 ? path[hop + 1] : destination).ed25519);
        EXPECT_EQ(fwd.layer.hop_no, static_cast<int>(hop) + 1);
        // Across the wire between nodes and back.
        const auto relayed = decode_forwarded(as_bytes(encode_forwarded(fwd.layer)));
        ASSERT_TRUE(std::holds_alternative<LayerEnvelope>(relayed));
        layer = std::get<LayerEnvelope>(relayed);
        EXPECT_EQ(layer.ciphertext, fwd.layer.ciphertext);
    }
    const auto final_action = peel_layer(layer, secrets[3], unused);
    ASSERT_TRUE(std::holds_alternative<ExecuteRequest>(final_action));
    const auto& exec = std::get<ExecuteRequest>(final_action);
    EXPECT_EQ(exec.body, payload);

    // Destination: encrypted reply with the vector's nonce, base64 as sent; client opens it.
    const auto& response = v_.at("response");
    test::ScriptedRandom reply_nonce;
    reply_nonce.push(from_hex(response.at("nonce").get<std::string>()));
    const auto reply_json = json::parse(response.at("plaintext_utf8").get<std::string>());
    const auto reply = wrap_reply(reply_json.at("status"), reply_json.at("body"), exec.reply_key,
                                  exec.options, reply_nonce);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(to_hex(from_base64(reply.body)), response.at("ciphertext_hex"));
    EXPECT_EQ(reply.body, response.at("base64_as_sent"));
    const auto opened = open_v3_reply(built.reply_key, reply.body);
    EXPECT_EQ(opened.status, 200);
    EXPECT_EQ(opened.body, reply_json.at("body"));
    test::record_checked("onion.json (derived 3-hop: 4 layers + entry + reply)", 6);
}

INSTANTIATE_TEST_SUITE_P(BothEncTypes, DerivedOnion, ::testing::Values(0, 1));

}  // namespace
}  // namespace sessionsim::onion
