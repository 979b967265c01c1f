// Attachment encryption (libsession's format) and the file server behind an onion layer.
#include <gtest/gtest.h>

#include "models/attachment/attachment.h"
#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/crypto/x25519.h"
#include "models/onion/builder.h"
#include "models/onion/hop.h"
#include "models/server/file_server.h"

namespace sessionsim::attachment {
namespace {

crypto::Ed25519Seed seed() {
    return crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(std::string("uploader"))}));
}

Bytes file_of(std::size_t n) {
    Bytes f(n);
    crypto::SeededRandom(7, "file").fill(f);
    return f;
}

TEST(Attachment, RoundTripsAtEverySizeWithTheFormulaSize) {
    for (const std::size_t n : {0, 1, 100, 32767, 32768, 32769, 131072, 1'000'000}) {
        const Bytes f = file_of(n);
        const auto enc = encrypt(seed(), f);
        EXPECT_EQ(enc.data.size(), encrypted_size(n)) << n;
        EXPECT_EQ(enc.data[0], 'S');
        EXPECT_EQ(decrypt(enc.data, enc.key), f) << n;
    }
}

TEST(Attachment, SameUploaderAndFileGiveTheSameBytesAndPaddingHidesExactSizes) {
    const Bytes f = file_of(5000);
    EXPECT_EQ(encrypt(seed(), f).data, encrypt(seed(), f).data);
    const auto other = crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(std::string("x"))}));
    EXPECT_NE(encrypt(other, f).key, encrypt(seed(), f).key);
    // Small files all pad to one size.
    EXPECT_EQ(encrypted_size(10), encrypted_size(4000));
}

TEST(Attachment, TamperingWrongKeysAndOversizeFilesAreRejected) {
    const auto enc = encrypt(seed(), file_of(70000));
    Bytes bad = enc.data;
    bad[40000] ^= 1;
    EXPECT_THROW(decrypt(bad, enc.key), InvalidInput);
    auto key = enc.key;
    key[0] ^= 1;
    EXPECT_THROW(decrypt(enc.data, key), InvalidInput);
    Bytes truncated(enc.data.begin(), enc.data.end() - 100);
    EXPECT_THROW(decrypt(truncated, enc.key), InvalidInput);
    Bytes wrong_type = enc.data;
    wrong_type[0] = 'X';
    try {
        decrypt(wrong_type, enc.key);
        FAIL();
    } catch (const InvalidInput& e) {
        EXPECT_STREQ(
            e.what(),
            "Attachment decryption failed: unknown encryption type 0x58; expected 0x53 (S)");
    }
    EXPECT_THROW(encrypt(seed(), Bytes(kMaxRegularSize + 1)), InvalidInput);
}

TEST(FileServer, StoresServesExpiresAndRefusesTooLargeUploads) {
    server::FileServer fs;
    const std::int64_t t = 1'700'000'000'000;
    auto r = fs.handle({"POST", "/file", nlohmann::json::object(), std::string("abc")}, t);
    ASSERT_EQ(r.code, 200);
    const auto id = nlohmann::json::parse(r.body).at("id").get<std::string>();
    EXPECT_EQ(fs.handle({"GET", "/file/" + id, nlohmann::json::object(), {}}, t + 1).body, "abc");
    EXPECT_EQ(fs.handle({"GET", "/file/999", nlohmann::json::object(), {}}, t).code, 404);
    EXPECT_EQ(fs.handle({"POST", "/file", nlohmann::json::object(), std::string()}, t).code, 400);
    const std::string big(server::FileServer::max_upload() + 1, 'x');
    EXPECT_EQ(fs.handle({"POST", "/file", nlohmann::json::object(), big}, t).code, 413);
    EXPECT_EQ(fs.handle({"GET", "/file/" + id, nlohmann::json::object(), {}},
                        t + server::FileServer::kExpiryMs)
                  .code,
              404)
        << "three weeks later the file is gone";
    EXPECT_EQ(fs.log().size(), 6u);
    EXPECT_EQ(fs.log()[0].bytes, 3u);
}

TEST(FileServer, AnUnreadableOnionLayerGetsAPlain400) {
    server::FileServer fs;
    crypto::SeededRandom random(3, "fs");
    const auto keys = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(crypto::blake2b_256({as_bytes(std::string("fs"))})));
    EXPECT_EQ(server::serve_onion(fs, Bytes{1, 2, 3}, keys, 0, random).status, 400);
    // A layer for another key: the ciphertext does not open.
    const auto other = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(crypto::blake2b_256({as_bytes(std::string("other"))})));
    const auto relay = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(crypto::blake2b_256({as_bytes(std::string("relay"))})));
    const onion::NodeKeys hop{relay.public_key, {}};
    const auto built = onion::build_onion(
        std::span(&hop, 1), onion::ServerKeys{.host = "f", .x25519 = other.public_key},
        onion::build_v4_request("GET", "/file/1", nlohmann::json::object(), std::nullopt),
        onion::EncType::xchacha20, random, /*trace=*/true);
    const auto entry = std::get<onion::LayerEnvelope>(onion::parse_entry_request(built.entry_body));
    const auto action = onion::peel_layer(entry, relay, random);
    const auto& post = std::get<onion::ForwardToServer>(action);
    const auto wrong = server::serve_onion(fs, post.payload, keys, 0, random);
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.body, "Invalid ciphertext");
    EXPECT_EQ(fs.log().size(), 0u) << "nothing reached the file server";
    const auto right = server::serve_onion(fs, post.payload, other, 0, random);
    EXPECT_EQ(right.status, 200);
    EXPECT_EQ(onion::open_v4_response(built.reply_key, as_bytes(right.body)).code, 404);
    EXPECT_EQ(fs.log().size(), 1u);
}

}  // namespace
}  // namespace sessionsim::attachment
