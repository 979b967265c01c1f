// sessionsim proto onion/message-hash/encrypt/decrypt through the command line: build an onion,
// then peel it hop by hop with each hop's key until the payload comes out.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/hash.h"
#include "models/crypto/x25519.h"
#include "tests/cli/cli_runner.h"

namespace sessionsim::test {
namespace {

struct Hop {
    crypto::X25519KeyPair x;
    crypto::Ed25519PublicKey ed;
    std::string arg() const { return to_hex(x.public_key) + ":" + to_hex(ed); }
    std::string sk() const { return to_hex(x.secret_key.view()); }
};

Hop make_hop(int i) {
    const auto seed = crypto::blake2b_256({as_bytes("hop" + std::to_string(i))});
    const auto kp = crypto::ed25519_from_seed(crypto::Ed25519Seed::from(seed));
    return {crypto::x25519_from_secret(crypto::ed25519_sk_to_x25519(kp.secret_key)), kp.public_key};
}

void expect_bad(const std::vector<std::string>& args, const std::string& part) {
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
}

class OnionCli : public ::testing::TestWithParam<std::string> {};

TEST_P(OnionCli, BuildThenPeelEveryHopRecoversThePayload) {
    std::vector<Hop> hops;
    for (int i = 0; i < 4; ++i)
        hops.push_back(make_hop(i));
    const std::string payload = R"({"method":"info","params":{}})";
    const auto built = run({"proto", "onion", "build", "--hops",
                            hops[0].arg() + "," + hops[1].arg() + "," + hops[2].arg(), "--dest",
                            hops[3].arg(), "--payload-b64", to_base64(as_bytes(payload)),
                            "--enc-type", GetParam(), "--seed", "7"});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    const auto b = built.json();
    ASSERT_EQ(b.at("layers").size(), 4u);
    EXPECT_EQ(b.at("layers")[0].at("role"), "guard");
    EXPECT_EQ(b.at("layers")[0].at("sees").at("next"), to_hex(hops[1].ed));
    EXPECT_EQ(b.at("layers")[3].at("role"), "destination");
    EXPECT_EQ(b.at("layers")[3].at("sees").at("request_b64"), to_base64(as_bytes(payload)));

    auto step = run(
        {"proto", "onion", "peel", "--x25519-sk", hops[0].sk(), "--blob-b64", b.at("blob_b64")});
    for (int hop = 1; hop < 4; ++hop) {
        ASSERT_EQ(step.exit_code, 0) << step.err;
        const auto j = step.json();
        ASSERT_EQ(j.at("kind"), "relay");
        EXPECT_EQ(j.at("destination"), to_hex(hops[hop].ed));
        EXPECT_EQ(j.at("enc_type"), GetParam());
        step = run({"proto", "onion", "peel", "--x25519-sk", hops[hop].sk(), "--ciphertext-b64",
                    j.at("ciphertext_b64"), "--ephemeral-key", j.at("ephemeral_key"), "--enc-type",
                    j.at("enc_type")});
    }
    ASSERT_EQ(step.exit_code, 0) << step.err;
    EXPECT_EQ(step.json().at("kind"), "final");
    EXPECT_EQ(from_base64(step.json().at("payload_b64").get<std::string>()),
              Bytes(payload.begin(), payload.end()));
    EXPECT_EQ(step.json().at("json"), nlohmann::json({{"headers", ""}}));

    // The wrong hop's key cannot peel the layer.
    expect_bad(
        {"proto", "onion", "peel", "--x25519-sk", hops[1].sk(), "--blob-b64", b.at("blob_b64")},
        "400 Invalid ciphertext");
}

INSTANTIATE_TEST_SUITE_P(BothEncTypes, OnionCli, ::testing::Values("xchacha20", "aes-gcm"));

TEST(OnionCliBadInput, PreciseReasons) {
    const Hop h = make_hop(1);
    expect_bad(
        {"proto", "onion", "build", "--hops", "abc", "--dest", h.arg(), "--payload-b64", "AA=="},
        "X25519_PK:ED25519_PK");
    expect_bad(
        {"proto", "onion", "build", "--hops", h.arg(), "--dest", h.arg(), "--payload-b64", "!!"},
        "--payload-b64");
    expect_bad({"proto", "onion", "build", "--hops", h.arg(), "--dest", h.arg(), "--payload-b64",
                "AA==", "--enc-type", "rot13"},
               "aes-gcm or xchacha20");
    expect_bad({"proto", "onion", "peel", "--x25519-sk", h.sk(), "--blob-b64", "AAAA"},
               "Error parsing onion request");
    expect_bad({"proto", "onion", "peel", "--x25519-sk", h.sk()}, "--blob-b64");
    expect_bad({"proto", "onion", "peel", "--x25519-sk", "zz", "--blob-b64", "AAAA"}, "not hex");
    expect_bad({"proto", "onion", "peel", "--x25519-sk", h.sk(), "--ciphertext-b64", "AAAA",
                "--ephemeral-key", std::string(64, 'a'), "--enc-type", "xchacha20"},
               "400 Invalid ciphertext");
}

TEST(MessageCli, HashEncryptDecrypt) {
    const auto hash = run({"proto", "message-hash", "--pubkey",
                           "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72",
                           "--namespace", "2", "--data-b64", to_base64(as_bytes("hello"))});
    ASSERT_EQ(hash.exit_code, 0) << hash.err;
    EXPECT_EQ(hash.json().at("hash"), "AWSi1/ImI0KKv6dpa32T17Jkf5xrMELQP9fBAecAtyA");

    const auto det =
        run({"proto", "encrypt", "--sender-seed", "0123456789abcdef0123456789abcdef", "--recipient",
             "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74",
             "--plaintext-b64", to_base64(as_bytes("hello")), "--deterministic"});
    ASSERT_EQ(det.exit_code, 0) << det.err;
    EXPECT_EQ(to_hex(from_base64(det.json().at("ciphertext_b64").get<std::string>())).substr(0, 16),
              "208f96785db92319");
    const auto opened =
        run({"proto", "decrypt", "--recipient-seed", "00112233445566778899aabbccddeeff",
             "--ciphertext-b64", det.json().at("ciphertext_b64")});
    ASSERT_EQ(opened.exit_code, 0) << opened.err;
    EXPECT_EQ(opened.json().at("plaintext_b64"), to_base64(as_bytes("hello")));
    EXPECT_EQ(opened.json().at("sender_session_id"),
              "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");

    expect_bad({"proto", "decrypt", "--recipient-seed", "0123456789abcdef0123456789abcdef",
                "--ciphertext-b64", det.json().at("ciphertext_b64")},
               "does not open");
    expect_bad({"proto", "message-hash", "--pubkey", "05ab", "--data-b64", "AA=="}, "66 hex");
    expect_bad({"proto", "message-hash", "--pubkey", std::string(66, '0'), "--namespace", "40000",
                "--data-b64", "AA=="},
               "namespace");
    expect_bad({"proto", "encrypt", "--sender-seed", "0123", "--recipient", std::string(66, '0'),
                "--plaintext-b64", "AA=="},
               "16 bytes");
    expect_bad({"proto", "encrypt", "--sender-seed", "0123456789abcdef0123456789abcdef",
                "--recipient", "03" + std::string(64, '0'), "--plaintext-b64", "AA=="},
               "05-prefixed");
}

}  // namespace
}  // namespace sessionsim::test
