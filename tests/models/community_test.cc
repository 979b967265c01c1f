// Community servers: blinded IDs, signed requests, posts the operator reads in clear.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/crypto/hash.h"
#include "models/identity/blinding.h"
#include "models/message/envelope.h"
#include "models/message/padding.h"
#include "models/server/community_server.h"

namespace sessionsim::server {
namespace {

using nlohmann::json;
constexpr std::int64_t kNow = 1'700'000'000'000;

identity::Identity user(const std::string& label) {
    return identity::Identity::from_ed25519_seed(
        crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(label)})));
}
crypto::Ed25519PublicKey server_key(const std::string& label) {
    return crypto::blake2b_256({as_bytes(label)});
}

TEST(Blinding, EachServerSeesADifferentVerifiableKey) {
    const auto alice = user("alice");
    const auto a1 = identity::blind15(alice.ed25519().secret_key, server_key("server one"));
    const auto a2 = identity::blind15(alice.ed25519().secret_key, server_key("server two"));
    EXPECT_NE(a1.public_key, a2.public_key);
    EXPECT_NE(a1.public_key, alice.ed25519().public_key);
    EXPECT_EQ(a1.id().prefix, 0x15);
    const std::string m = "hello";
    const auto sig =
        identity::blind15_sign(alice.ed25519().secret_key, server_key("server one"), as_bytes(m));
    EXPECT_TRUE(crypto::ed25519_verify(a1.public_key, sig, as_bytes(m)));
    EXPECT_FALSE(crypto::ed25519_verify(a2.public_key, sig, as_bytes(m)));
}

TEST(CommunityServer, PostsArePolledByMembersAndReadByTheOperator) {
    const auto key = server_key("sogs");
    CommunityServer sogs(key, {"lobby"});
    crypto::SeededRandom random(1, "sogs");
    const auto alice = user("alice"), bob = user("bob");
    auto r = sogs.handle(community_post(alice, key, "lobby", "hi all", kNow, random), kNow);
    ASSERT_EQ(r.code, 201) << r.body;
    r = sogs.handle(community_poll(bob, key, "lobby", 0, kNow + 1000, random), kNow + 1000);
    ASSERT_EQ(r.code, 200) << r.body;
    const auto list = json::parse(r.body);
    ASSERT_EQ(list.size(), 1u);
    const Bytes data = from_base64(list[0].at("data").get<std::string>());
    EXPECT_EQ(message::parse_text_content(message::unpad_message(data)).body, "hi all");
    EXPECT_EQ(list[0].at("session_id"),
              identity::blind15(alice.ed25519().secret_key, key).id().to_hex());
    // The operator holds the text itself.
    ASSERT_EQ(sogs.posts().size(), 1u);
    EXPECT_EQ(message::parse_text_content(message::unpad_message(sogs.posts()[0].data)).body,
              "hi all");
    r = sogs.handle(community_poll(bob, key, "lobby", 1, kNow + 2000, random), kNow + 2000);
    EXPECT_EQ(json::parse(r.body).size(), 0u);
}

TEST(CommunityServer, UnsignedForgedReplayedAndStaleRequestsAreRefused) {
    const auto key = server_key("sogs");
    CommunityServer sogs(key, {"lobby"});
    crypto::SeededRandom random(2, "sogs");
    const auto alice = user("alice");
    auto request = community_poll(alice, key, "lobby", 0, kNow, random);
    EXPECT_EQ(sogs.handle(request, kNow).code, 200);
    EXPECT_EQ(sogs.handle(request, kNow).code, 401) << "a replayed nonce";
    auto forged = community_poll(alice, key, "lobby", 0, kNow, random);
    forged.endpoint = "/room/lobby/messages/since/5";  // signature was for since/0
    EXPECT_EQ(sogs.handle(forged, kNow).code, 401);
    auto bare = forged;
    bare.headers = json::object();
    EXPECT_EQ(sogs.handle(bare, kNow).code, 401);
    EXPECT_EQ(
        sogs.handle(community_poll(alice, key, "lobby", 0, kNow, random), kNow + 2 * 86'400'000)
            .code,
        401)
        << "a day-old timestamp";
    EXPECT_EQ(sogs.handle(community_poll(alice, key, "nowhere", 0, kNow, random), kNow).code, 404);
}

}  // namespace
}  // namespace sessionsim::server
