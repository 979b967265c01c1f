// Onions of every length, both enc types, to nodes and servers; and hostile bytes in every
// region of a layer, which must give the real node's error and never crash.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/crypto/mode.h"
#include "models/onion/builder.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/onion/response.h"
#include "tests/support/skips.h"

namespace sessionsim::onion {
namespace {

struct Hops {
    std::vector<crypto::X25519KeyPair> x;
    std::vector<NodeKeys> keys;
    explicit Hops(std::size_t n) {
        crypto::SeededRandom random(n, "hops");
        for (std::size_t i = 0; i < n; ++i) {
            crypto::X25519SecretKey sk;
            random.fill(sk.mutable_view());
            x.push_back(crypto::x25519_from_secret(sk));
            keys.push_back({x.back().public_key, random.bytes<32>()});
        }
    }
    const crypto::X25519KeyPair* by_ed(const crypto::Ed25519PublicKey& ed) const {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (keys[i].ed25519 == ed)
                return &x[i];
        }
        return nullptr;
    }
};

/// Delivers an entry body hop by hop as the nodes would; returns the final action.
HopAction deliver(const Bytes& entry, const crypto::X25519KeyPair& guard, const Hops& hops,
                  crypto::RandomSource& random) {
    auto parsed = parse_entry_request(entry);
    if (auto* err = std::get_if<OnionReply>(&parsed))
        return *err;
    LayerEnvelope layer = std::get<LayerEnvelope>(parsed);
    const crypto::X25519KeyPair* node = &guard;
    while (true) {
        HopAction action = peel_layer(layer, *node, random);
        const auto* fwd = std::get_if<ForwardToNode>(&action);
        if (!fwd)
            return action;
        auto relayed = decode_forwarded(as_bytes(encode_forwarded(fwd->layer)));
        if (auto* err = std::get_if<OnionReply>(&relayed))
            return *err;
        layer = std::get<LayerEnvelope>(relayed);
        node = hops.by_ed(fwd->next);
        if (!node)
            return OnionReply{502, "Next node not found: " + to_hex(fwd->next), {}};
    }
}

/// "delivered", or the error's status and text.
std::string outcome(const HopAction& action) {
    if (const auto* r = std::get_if<OnionReply>(&action)) {
        return std::to_string(r->status) + " " +
               (r->encrypted_error.empty() ? r->body.substr(0, 28) : r->encrypted_error);
    }
    return "delivered";
}

class OnionLengths : public ::testing::TestWithParam<std::tuple<int, EncType>> {};

TEST_P(OnionLengths, PathOfNHopsDeliversAndTheReplyComesBack) {
    const auto [path_len, type] = GetParam();
    if (type == EncType::aes_gcm && !crypto::aes256gcm_available())
        SESSIONSIM_SKIP_WITHOUT(test::kAesNi, "libsodium's AES-256-GCM needs it");
    const Hops hops(static_cast<std::size_t>(path_len) + 1);
    const std::vector<NodeKeys> path(hops.keys.begin(), hops.keys.end() - 1);
    crypto::SeededRandom random(static_cast<std::uint64_t>(path_len), "roundtrip");
    const Bytes payload{'p', 'i', 'n', 'g'};
    const auto built = build_onion(path, hops.keys.back(), payload, type, random);
    const auto action = deliver(built.entry_body, hops.x[0], hops, random);
    if (path_len > kMaxOnionHops) {
        // hop_no counts forwards; the node that receives hop_no 16 refuses the layer.
        ASSERT_TRUE(std::holds_alternative<OnionReply>(action));
        EXPECT_EQ(std::get<OnionReply>(action).body, "onion request max path length exceeded");
        return;
    }
    ASSERT_TRUE(std::holds_alternative<ExecuteRequest>(action)) << "path " << path_len;
    const auto& exec = std::get<ExecuteRequest>(action);
    EXPECT_EQ(exec.body, payload);
    const auto reply = wrap_reply(200, "pong", exec.reply_key, exec.options, random);
    const auto opened = open_v3_reply(built.reply_key, reply.body);
    EXPECT_EQ(opened.status, 200);
    EXPECT_EQ(opened.body, "pong");
}

INSTANTIATE_TEST_SUITE_P(PathsOf1To16, OnionLengths,
                         ::testing::Combine(::testing::Range(1, 17),
                                            ::testing::Values(EncType::xchacha20,
                                                              EncType::aes_gcm)));

TEST(OnionServer, LastHopPostsTheWholeLayerAndTheV4ReplyComesBack) {
    const Hops hops(4);
    crypto::SeededRandom random(9, "server");
    const std::vector<NodeKeys> path(hops.keys.begin(), hops.keys.begin() + 3);
    ServerKeys server{.host = "filev2.example", .x25519 = hops.x[3].public_key};
    const Bytes request =
        build_v4_request("POST", "/file", nlohmann::json::object(), std::string("DATA"));
    const auto built = build_onion(path, server, request, EncType::xchacha20, random);
    const auto action = deliver(built.entry_body, hops.x[0], hops, random);
    ASSERT_TRUE(std::holds_alternative<ForwardToServer>(action));
    const auto& post = std::get<ForwardToServer>(action);
    EXPECT_EQ(post.url, "https://filev2.example/oxen/v4/lsrpc");
    // The server parses the same [N][ct]{json} with its own key.
    const auto combined = unpack_combined(post.payload);
    const Routing parsed_routing = parse_routing(combined.routing);
    const auto& routing = std::get<ToServer>(parsed_routing);
    const auto key = LayerKey::for_hop(routing.enc_type, hops.x[3], routing.ephemeral_key);
    const auto plain = key.decrypt(combined.inner);
    ASSERT_TRUE(plain);
    const auto parsed = parse_v4_request(*plain);
    EXPECT_EQ(parsed.endpoint, "/file");
    EXPECT_EQ(parsed.body, "DATA");
    const Bytes reply =
        seal_v4_response({201, {{"content-type", "application/json"}}, R"({"id":7})"}, key, random);
    const auto opened = open_v4_response(built.reply_key, reply);
    EXPECT_EQ(opened.code, 201);
    EXPECT_EQ(opened.body, R"({"id":7})");
}

TEST(OnionServer, DisallowedTargetIsAnsweredEncrypted) {
    const Hops hops(2);
    crypto::SeededRandom random(10, "server");
    ServerKeys server{
        .host = "evil.example", .target = "/admin?x=1", .x25519 = hops.x[1].public_key};
    const auto built =
        build_onion({hops.keys.data(), 1}, server, Bytes{1}, EncType::xchacha20, random);
    const auto action = deliver(built.entry_body, hops.x[0], hops, random);
    ASSERT_TRUE(std::holds_alternative<OnionReply>(action));
    EXPECT_EQ(std::get<OnionReply>(action).encrypted_error, "400 Invalid url");
}

TEST(OnionHostile, CorruptingAnyRegionGivesTheRealErrorAndNeverCrashes) {
    const Hops hops(4);
    crypto::SeededRandom random(11, "hostile");
    const std::vector<NodeKeys> path(hops.keys.begin(), hops.keys.begin() + 3);
    const auto built = build_onion(path, hops.keys[3], Bytes{'x'}, EncType::xchacha20, random);
    const Bytes& entry = built.entry_body;
    const std::uint32_t n = entry[0] | entry[1] << 8 | entry[2] << 16 | entry[3] << 24;
    std::map<std::string, int> outcomes;
    for (std::size_t i = 0; i < entry.size(); ++i) {
        for (const std::uint8_t flip : {0x01, 0x80, 0xff}) {
            Bytes bad = entry;
            bad[i] ^= flip;
            const std::string what = outcome(deliver(bad, hops.x[0], hops, random));
            if (i < 4) {
                EXPECT_EQ(what.substr(0, 3), "400") << "length byte " << i;
            } else if (i < 4 + n) {
                // Ciphertext (nonce, body, tag): authentication fails at the guard.
                EXPECT_EQ(what, "400 Invalid ciphertext") << "ciphertext byte " << i;
            } else {
                // The routing JSON: unparseable, a different key, or an unknown enc_type.
                EXPECT_NE(what, "delivered") << "json byte " << i;
            }
            ++outcomes[what.substr(0, 3)];
        }
    }
    EXPECT_GT(outcomes["400"], 0);
    // Truncations at every length.
    for (std::size_t len = 0; len < entry.size(); len += 13) {
        const auto action =
            deliver(Bytes(entry.begin(), entry.begin() + len), hops.x[0], hops, random);
        ASSERT_TRUE(std::holds_alternative<OnionReply>(action)) << len;
        EXPECT_EQ(std::get<OnionReply>(action).status, 400);
    }
}

// The modelled crypto mode (crypto/mode.h) decides as the real one does: the same outcome for
// every corrupted byte of the entry request and for every path length, the same sizes and the
// same random draws after each build.
TEST(OnionCryptoModes, EveryPathAndEveryCorruptionGetTheSameOutcomeInBothModes) {
    const auto outcomes = [](crypto::CryptoMode mode) {
        const crypto::CryptoModeScope scope(mode);
        std::vector<std::string> seen;
        const Hops hops(17);
        crypto::SeededRandom random(13, "modes");
        for (std::size_t length = 1; length <= 16; ++length) {
            const std::vector<NodeKeys> path(hops.keys.begin(), hops.keys.begin() + length);
            const auto built = build_onion(path, hops.keys[length], Bytes(length * 50, 'p'),
                                           EncType::xchacha20, random);
            seen.push_back(std::to_string(built.entry_body.size()) + " " +
                           outcome(deliver(built.entry_body, hops.x[0], hops, random)) + " " +
                           std::to_string(random.next_u64()));
        }
        const std::vector<NodeKeys> path(hops.keys.begin(), hops.keys.begin() + 3);
        const Bytes entry =
            build_onion(path, hops.keys[3], Bytes{'x'}, EncType::xchacha20, random).entry_body;
        // Every byte changed. The two modes' ephemeral keys differ, so a key's hex digit is
        // changed into another hex digit (the key stays well-formed but is another key, in both
        // modes); anything else has its low bit flipped.
        for (std::size_t i = 0; i < entry.size(); ++i) {
            Bytes bad = entry;
            if (i >= 4 && std::isxdigit(bad[i]))
                bad[i] = bad[i] == '0' ? '1' : '0';
            else
                bad[i] ^= 0x01;
            seen.push_back(outcome(deliver(bad, hops.x[0], hops, random)));
        }
        return seen;
    };
    const auto real = outcomes(crypto::CryptoMode::real);
    const auto modelled = outcomes(crypto::CryptoMode::modelled);
    ASSERT_EQ(real.size(), modelled.size());
    for (std::size_t i = 0; i < real.size(); ++i)
        EXPECT_EQ(real[i], modelled[i]) << "case " << i;
    // Both sorts of outcome occur, so the comparison is not between two empty answers.
    EXPECT_EQ(std::count(real.begin(), real.end(), "400 Invalid ciphertext") > 0, true);
    EXPECT_NE(real[0].find("delivered"), std::string::npos);
}

TEST(OnionHostile, ForwardedMessagesAreValidated) {
    auto expect_error = [](const std::string& msg, const std::string& part) {
        const auto r = decode_forwarded(as_bytes(msg));
        ASSERT_TRUE(std::holds_alternative<OnionReply>(r)) << msg;
        EXPECT_NE(std::get<OnionReply>(r).body.find(part), std::string::npos)
            << std::get<OnionReply>(r).body;
    };
    expect_error("garbage", "Invalid internal onion request");
    expect_error("d8:enc_type9:xchacha20e", "required data payload not found");
    expect_error("d4:data1:x13:ephemeral_key3:abce", "expected 32 bytes, received 3");
    expect_error("d4:data1:x13:ephemeral_key32:" + std::string(32, 'k') + "6:hop_noi16ee",
                 "max path length exceeded");
    const auto ok = decode_forwarded(
        as_bytes("d4:data1:x13:ephemeral_key32:" + std::string(32, 'k') + "6:hop_noi-5ee"));
    ASSERT_TRUE(std::holds_alternative<LayerEnvelope>(ok));
    EXPECT_EQ(std::get<LayerEnvelope>(ok).hop_no, 1);
}

TEST(OnionHostile, RepliesThatDoNotOpenAreReported) {
    const Hops hops(2);
    crypto::SeededRandom random(12, "reply");
    const auto built =
        build_onion({hops.keys.data(), 1}, hops.keys[1], Bytes{1}, EncType::xchacha20, random);
    EXPECT_THROW(open_v3_reply(built.reply_key, "not base64!"), InvalidInput);
    EXPECT_THROW(open_v3_reply(built.reply_key, to_base64(Bytes(60, 7))), InvalidInput);
    EXPECT_THROW(open_v4_response(built.reply_key, Bytes(10, 1)), InvalidInput);
}

// Found by fuzz/bencode_v4_fuzz (build-fuzz/findings/bencode_v4/crash-869d253c...): metadata
// whose "endpoint" is a JSON object threw nlohmann's type_error out of the parser.
TEST(OnionHostile, V4MetadataOfTheWrongTypeIsABadRequestNotACrash) {
    const std::string crash =
        "l65:{\"metiOd\":\"GE@@@@@T\",\"endpoint\":\"GE@@@@@T\",\"endpoint\":"
        "{\"aa\":\"b\"}}5:h5:loe";
    EXPECT_THROW((void)parse_v4_request(as_bytes(crash)), InvalidInput);
    const auto bad = [](const std::string& meta) {
        const std::string body = "l" + std::to_string(meta.size()) + ":" + meta + "e";
        try {
            (void)parse_v4_request(as_bytes(body));
        } catch (const InvalidInput& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(bad(R"({"method":1,"endpoint":"/x"})"),
              "Invalid v4 onion request: \"method\" must be a string");
    EXPECT_EQ(bad(R"({"endpoint":["/x"]})"),
              "Invalid v4 onion request: \"endpoint\" must be a string");
    EXPECT_EQ(bad(R"({"endpoint":"/x","headers":"h"})"),
              "Invalid v4 onion request: \"headers\" must be an object");
    EXPECT_EQ(bad(R"({"method":"GET","endpoint":"/x","headers":{}})"), "accepted");
}

}  // namespace
}  // namespace sessionsim::onion
