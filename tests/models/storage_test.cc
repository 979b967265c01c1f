// The storage server's rules, driven through the RPC handler with a fake clock.
#include <gtest/gtest.h>
#include <map>
#include <string>

#include "models/common/base64.h"
#include "models/crypto/hash.h"
#include "models/storage/limits.h"
#include "models/storage/message_hash.h"
#include "models/storage/request_handler.h"
#include "models/storage/request_signatures.h"

namespace sessionsim::storage {
namespace {

using nlohmann::json;
constexpr std::int64_t kNow = 1'700'000'000'000;

identity::Identity make_identity(int i) {
    return identity::Identity::from_ed25519_seed(
        crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes("id" + std::to_string(i))})));
}

NodeContact contact_of(const identity::Identity& id, std::uint32_t ip) {
    return {id.ed25519().public_key, id.x25519().public_key, ip};
}

class StorageTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 10; ++i)
            nodes_.push_back(make_identity(1000 + i));
        std::map<swarm::SwarmId, std::vector<NodeContact>> swarms;
        for (int i = 0; i < 5; ++i)
            swarms[0].push_back(contact_of(nodes_[i], 0x0a000001 + i));
        for (int i = 5; i < 10; ++i)
            swarms[1ULL << 63].push_back(contact_of(nodes_[i], 0x0b000001 + i));
        view_ = SwarmView(swarms);
        handler_ = std::make_unique<RequestHandler>(store_, nodes_[0].ed25519());
        handler_->set_swarms(std::make_shared<const SwarmView>(view_));
        for (int i = 0; ours_ == nullptr || theirs_ == nullptr; ++i) {
            auto id = std::make_unique<identity::Identity>(make_identity(i));
            auto& slot = view_.swarm_of(id->session_id()) == 0 ? ours_ : theirs_;
            if (!slot)
                slot = std::move(id);
        }
    }

    RpcResponse call(const std::string& method, const json& params, std::int64_t now = kNow) {
        auto outcome = handler_->handle(method, params, now);
        if (auto* r = std::get_if<RpcResponse>(&outcome))
            return *r;
        // Recursive: answer for the peers as if they all stored it too.
        const auto& pending = std::get<Pending>(outcome);
        std::vector<std::map<crypto::Ed25519PublicKey, PeerAnswer>> answers(pending.fanouts.size());
        return handler_->complete(pending, answers, now);
    }

    json store_params(const identity::Identity& who, const std::string& data, Namespace ns = 0,
                      std::int64_t ttl = 14 * kDay, std::int64_t ts = kNow) {
        json p{{"pubkey", who.session_id().to_hex()},
               {"timestamp", ts},
               {"ttl", ttl},
               {"data", to_base64(as_bytes(data))}};
        if (ns != 0)
            p["namespace"] = ns;
        return p;
    }

    json signed_retrieve(const identity::Identity& who, Namespace ns = 0, std::int64_t ts = kNow,
                         const std::string& last_hash = "") {
        json p{{"pubkey", who.session_id().to_hex()},
               {"timestamp", ts},
               {"pubkey_ed25519", to_hex(who.ed25519().public_key)},
               {"signature", sign_request(who, retrieve_signed_string(ns, ts))}};
        if (ns != 0)
            p["namespace"] = ns;
        if (!last_hash.empty())
            p["last_hash"] = last_hash;
        return p;
    }

    std::vector<identity::Identity> nodes_;
    SwarmView view_;
    MessageStore store_;
    std::unique_ptr<RequestHandler> handler_;
    std::unique_ptr<identity::Identity> ours_, theirs_;
};

TEST_F(StorageTest, StoreToInboxNeedsNoSignatureAndAnswersForTheWholeSwarm) {
    const auto r = call("store", store_params(*ours_, "hello"));
    ASSERT_EQ(r.status, 200) << r.body_text();
    const std::string hash = message_hash(ours_->session_id(), 0, as_bytes("hello"));
    EXPECT_EQ(r.body.at("hash"), hash);
    EXPECT_EQ(r.body.at("swarm").size(), 5u);
    const auto& own = r.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key));
    EXPECT_EQ(own.at("hash"), hash);
    EXPECT_EQ(own.at("expiry"), kNow + 14 * kDay);
    const auto sig = from_base64(own.at("signature").get<std::string>());
    crypto::Ed25519Signature s;
    std::copy(sig.begin(), sig.end(), s.begin());
    EXPECT_TRUE(crypto::ed25519_verify(nodes_[0].ed25519().public_key, s, as_bytes(hash)));
    // Peers that did not answer show as timeouts.
    EXPECT_EQ(r.body.at("swarm").at(to_hex(nodes_[1].ed25519().public_key)).at("timeout"), true);
    EXPECT_TRUE(r.body.contains("t"));
    EXPECT_EQ(store_.size(), 1u);
}

TEST_F(StorageTest, TtlBoundsGive403) {
    EXPECT_EQ(call("store", store_params(*ours_, "a", 0, 9'999)).status, 403);
    EXPECT_EQ(call("store", store_params(*ours_, "a", 0, 10'000)).status, 200);
    EXPECT_EQ(call("store", store_params(*ours_, "b", 0, 14 * kDay + 1)).status, 403);
    EXPECT_EQ(call("store", store_params(*ours_, "b", 0, 14 * kDay)).body_text().find("hash") !=
                  std::string::npos,
              true);
    const auto r = call("store", store_params(*ours_, "c", 0, 15 * kDay));
    EXPECT_EQ(r.body, json("Provided expiry/TTL is not valid."));
}

TEST_F(StorageTest, ClockToleranceGives406) {
    EXPECT_EQ(call("store", store_params(*ours_, "x", 0, 60'000, kNow + 10'001)).status, 406);
    EXPECT_EQ(call("store", store_params(*ours_, "x", 0, 60'000, kNow + 10'000)).status, 200);
    // Already expired more than 10 s ago.
    EXPECT_EQ(call("store", store_params(*ours_, "y", 0, 20'000, kNow - 31'000)).status, 406);
}

TEST_F(StorageTest, PrivateNamespaceStoreNeedsAValidSignature) {
    json p = store_params(*ours_, "cfg", 2, 30 * kDay);
    auto r = call("store", p);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, json("store: signature required to store to namespace 2"));
    p["pubkey_ed25519"] = to_hex(ours_->ed25519().public_key);
    p["signature"] = sign_request(*ours_, store_signed_string(2, kNow));
    EXPECT_EQ(call("store", p).status, 200);
    // Wrong namespace string in the signature.
    json q = store_params(*ours_, "cfg2", 3, 30 * kDay);
    q["pubkey_ed25519"] = to_hex(ours_->ed25519().public_key);
    q["signature"] = sign_request(*ours_, store_signed_string(2, kNow));
    EXPECT_EQ(call("store", q).body, json("store signature verification failed"));
    // Another account's key.
    json w = store_params(*ours_, "cfg3", 3, 30 * kDay);
    w["pubkey_ed25519"] = to_hex(theirs_->ed25519().public_key);
    w["signature"] = sign_request(*theirs_, store_signed_string(3, kNow));
    EXPECT_EQ(call("store", w).status, 401);
    // Stale signature timestamp.
    json s = store_params(*ours_, "cfg4", 3, 30 * kDay);
    s["pubkey_ed25519"] = to_hex(ours_->ed25519().public_key);
    s["sig_timestamp"] = kNow - 61'000;
    s["signature"] = sign_request(*ours_, store_signed_string(3, kNow - 61'000));
    EXPECT_EQ(call("store", s).body, json("store signature timestamp too far from current time"));
}

TEST_F(StorageTest, WrongSwarmGives421WithTheRightSwarmsNodes) {
    const auto r = call("store", store_params(*theirs_, "misdirected"));
    ASSERT_EQ(r.status, 421);
    EXPECT_EQ(r.body.at("swarm"), "8000000000000000");
    ASSERT_EQ(r.body.at("snodes").size(), 5u);
    // Every member of the right swarm (nodes 5-9, at 11.0.0.6-10), listed in public-key order
    // whatever order the chain gave them in, so that a client's draw from the list is the same
    // in the simulator and the testbed.
    std::map<std::string, std::string> expected;  // key -> ip, ordered by key
    for (int i = 5; i < 10; ++i)
        expected[to_hex(nodes_[i].ed25519().public_key)] = "11.0.0." + std::to_string(i + 1);
    auto member = expected.begin();
    for (const auto& snode : r.body.at("snodes")) {
        EXPECT_EQ(snode.at("pubkey_ed25519"), member->first);
        EXPECT_EQ(snode.at("ip"), member->second);
        ++member;
    }
    EXPECT_EQ(store_.size(), 0u);
    EXPECT_EQ(call("retrieve", signed_retrieve(*theirs_)).status, 421);
}

TEST_F(StorageTest, DuplicateStoreOnlyExtendsExpiry) {
    call("store", store_params(*ours_, "dup", 0, 60'000));
    auto again = call("store", store_params(*ours_, "dup", 0, 120'000));
    const auto& own = again.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key));
    EXPECT_EQ(own.at("already"), true);
    EXPECT_EQ(own.at("expiry"), kNow + 120'000);
    auto shorter = call("store", store_params(*ours_, "dup", 0, 30'000));
    EXPECT_EQ(shorter.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key)).at("expiry"),
              kNow + 120'000);
    EXPECT_EQ(store_.size(), 1u);
}

TEST_F(StorageTest, RetrievePagesWithLastHashInInsertionOrder) {
    std::vector<std::string> hashes;
    for (int i = 0; i < 5; ++i) {
        hashes.push_back(
            call("store", store_params(*ours_, "m" + std::to_string(i))).body.at("hash"));
    }
    auto p = signed_retrieve(*ours_);
    p["max_count"] = 2;
    auto first = call("retrieve", p);
    ASSERT_EQ(first.status, 200) << first.body_text();
    ASSERT_EQ(first.body.at("messages").size(), 2u);
    EXPECT_EQ(first.body.at("messages")[0].at("hash"), hashes[0]);
    EXPECT_EQ(first.body.at("more"), true);
    auto next = signed_retrieve(*ours_, 0, kNow, hashes[1]);
    auto rest = call("retrieve", next);
    ASSERT_EQ(rest.body.at("messages").size(), 3u);
    EXPECT_EQ(rest.body.at("messages")[0].at("hash"), hashes[2]);
    EXPECT_EQ(rest.body.at("more"), false);
    EXPECT_EQ(from_base64(rest.body.at("messages")[2].at("data").get<std::string>()),
              Bytes({'m', '4'}));
    // An unknown last_hash starts from the beginning.
    auto unknown = call("retrieve", signed_retrieve(*ours_, 0, kNow, std::string(43, 'A')));
    EXPECT_EQ(unknown.body.at("messages").size(), 5u);
}

TEST_F(StorageTest, RetrieveAuthRules) {
    json unsigned_req{{"pubkey", ours_->session_id().to_hex()}};
    EXPECT_EQ(call("retrieve", unsigned_req).body, json("retrieve: request signature required"));
    EXPECT_EQ(call("retrieve", signed_retrieve(*ours_, 0, kNow - 61'000)).status, 406);
    auto forged = signed_retrieve(*ours_);
    forged["signature"] = sign_request(*theirs_, retrieve_signed_string(0, kNow));
    EXPECT_EQ(call("retrieve", forged).body, json("retrieve signature verification failed"));
    // Legacy closed groups (-10) and public outboxes need none.
    json legacy{{"pubkey", ours_->session_id().to_hex()}, {"namespace", -10}};
    EXPECT_EQ(call("retrieve", legacy).status, 200);
}

TEST_F(StorageTest, PublicOutboxKeepsOnlyTheNewestMessage) {
    auto signed_store = [&](const std::string& data, std::int64_t ts) {
        json p = store_params(*ours_, data, -21, 60'000, ts);
        p["pubkey_ed25519"] = to_hex(ours_->ed25519().public_key);
        p["signature"] = sign_request(*ours_, store_signed_string(-21, ts));
        return call("store", p, kNow);
    };
    EXPECT_EQ(signed_store("v1", kNow - 1000).status, 200);
    EXPECT_EQ(signed_store("v2", kNow).status, 200);
    auto old = signed_store("v0", kNow - 5000);
    EXPECT_EQ(old.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key)).at("already"), true);
    json anyone{{"pubkey", ours_->session_id().to_hex()}, {"namespace", -21}};
    auto r = call("retrieve", anyone);
    ASSERT_EQ(r.body.at("messages").size(), 1u);
    EXPECT_EQ(from_base64(r.body.at("messages")[0].at("data").get<std::string>()),
              Bytes({'v', '2'}));
}

TEST_F(StorageTest, ExpirySweepRemovesExpiredMessages) {
    call("store", store_params(*ours_, "short", 0, 10'000));
    call("store", store_params(*ours_, "long", 0, 60'000));
    EXPECT_EQ(store_.clean_expired(kNow + 9'999), 0u);
    EXPECT_EQ(store_.clean_expired(kNow + 10'000), 1u);
    EXPECT_EQ(store_.size(), 1u);
    EXPECT_EQ(store_.clean_expired(kNow + 60'000), 1u);
    EXPECT_EQ(store_.data_bytes(), 0u);
}

TEST_F(StorageTest, DeleteAndDeleteAllAreSignedAndRecursive) {
    const std::string h1 = call("store", store_params(*ours_, "d1")).body.at("hash");
    const std::string h2 = call("store", store_params(*ours_, "d2")).body.at("hash");
    json del{
        {"pubkey", ours_->session_id().to_hex()},
        {"pubkey_ed25519", to_hex(ours_->ed25519().public_key)},
        {"messages", {h1}},
        {"signature", sign_request(*ours_, delete_signed_string(std::vector<std::string>{h1}))}};
    auto r = call("delete", del);
    ASSERT_EQ(r.status, 200) << r.body_text();
    EXPECT_EQ(r.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key)).at("deleted"),
              json({h1}));
    json bad = del;
    bad["messages"] = {h2};
    EXPECT_EQ(call("delete", bad).body, json("delete_msgs signature verification failed"));

    json all{{"pubkey", ours_->session_id().to_hex()},
             {"pubkey_ed25519", to_hex(ours_->ed25519().public_key)},
             {"timestamp", kNow},
             {"signature", sign_request(*ours_, delete_all_signed_string(Namespace{0}, kNow))}};
    auto gone = call("delete_all", all);
    ASSERT_EQ(gone.status, 200) << gone.body_text();
    EXPECT_EQ(gone.body.at("swarm").at(to_hex(nodes_[0].ed25519().public_key)).at("deleted"),
              json({h2}));
    EXPECT_EQ(store_.size(), 0u);
    all["timestamp"] = kNow - 61'000;
    EXPECT_EQ(call("delete_all", all).status, 406);
}

TEST_F(StorageTest, ExpireShortensAndExtends) {
    const std::string h = call("store", store_params(*ours_, "e", 0, 60'000)).body.at("hash");
    auto expire = [&](std::int64_t expiry, const char* mode) {
        json p{{"pubkey", ours_->session_id().to_hex()},
               {"pubkey_ed25519", to_hex(ours_->ed25519().public_key)},
               {"messages", {h}},
               {"expiry", expiry},
               {"signature",
                sign_request(*ours_, std::string("expire") + mode + std::to_string(expiry) + h)}};
        if (std::string(mode) == "shorten")
            p["shorten"] = true;
        if (std::string(mode) == "extend")
            p["extend"] = true;
        return call("expire", p);
    };
    auto shorter = expire(kNow + 30'000, "shorten");
    ASSERT_EQ(shorter.status, 200) << shorter.body_text();
    EXPECT_EQ(store_.find(h)->expiry_ms, kNow + 30'000);
    auto not_longer = expire(kNow + 90'000, "shorten");
    EXPECT_EQ(store_.find(h)->expiry_ms, kNow + 30'000);
    EXPECT_TRUE(not_longer.body.at("swarm")
                    .at(to_hex(nodes_[0].ed25519().public_key))
                    .at("unchanged")
                    .contains(h));
    expire(kNow + 90'000, "extend");
    EXPECT_EQ(store_.find(h)->expiry_ms, kNow + 90'000);
    EXPECT_EQ(expire(kNow - 61'000, "").status, 401);
}

TEST_F(StorageTest, MalformedRequestsGetTheRealMessages) {
    EXPECT_EQ(std::get<RpcResponse>(handler_->handle_body("{nope", kNow)).body,
              json("invalid json"));
    EXPECT_EQ(std::get<RpcResponse>(handler_->handle_body(R"({"params":{}})", kNow)).body,
              json("invalid json: no `method` field"));
    EXPECT_EQ(call("frobnicate", json::object()).body, json("no method frobnicate"));
    EXPECT_EQ(
        call("store", json{{"pubkey", "05ab"}, {"timestamp", kNow}, {"ttl", 60000}, {"data", ""}})
            .body,
        json("invalid request: Pubkey must be 66 hex digits (33 bytes) long"));
    auto p = store_params(*ours_, "x");
    p["expiry"] = kNow + 60'000;
    EXPECT_EQ(call("store", p).body,
              json("invalid request: Cannot specify both 'expiry' and 'ttl'"));
    auto big = store_params(*ours_, std::string(76'801, 'z'));
    EXPECT_EQ(call("store", big).body,
              json("invalid request: Message body exceeds maximum allowed length of 76800 bytes"));
    auto bad64 = store_params(*ours_, "x");
    bad64["data"] = "!!!";
    EXPECT_EQ(call("store", bad64).body,
              json("invalid request: Invalid 'data' value: not base64 encoded"));
    EXPECT_EQ(store_.size(), 0u);
}

TEST_F(StorageTest, BatchRunsEachSubrequestAndSequenceStopsAtFailure) {
    json batch{
        {"requests",
         {{{"method", "store"}, {"params", store_params(*ours_, "b1")}},
          {{"method", "info"}, {"params", json::object()}},
          {{"method", "store"}, {"params", store_params(*ours_, "b2", 0, 1)}},
          {{"method", "get_swarm"}, {"params", {{"pubkey", ours_->session_id().to_hex()}}}}}}};
    auto r = call("batch", batch);
    ASSERT_EQ(r.status, 200) << r.body_text();
    ASSERT_EQ(r.body.at("results").size(), 4u);
    EXPECT_EQ(r.body.at("results")[0].at("code"), 200);
    EXPECT_EQ(r.body.at("results")[1].at("body").at("version"), json({2, 8, 0}));
    EXPECT_EQ(r.body.at("results")[2].at("code"), 403);
    EXPECT_EQ(r.body.at("results")[3].at("body").at("snodes").size(), 5u);
    auto seq = call("sequence", batch);
    EXPECT_EQ(seq.body.at("results").size(), 3u);
    json too_many{{"requests", json::array()}};
    for (int i = 0; i < 21; ++i)
        too_many["requests"].push_back({{"method", "info"}, {"params", json::object()}});
    EXPECT_EQ(call("batch", too_many).body,
              json("invalid request: Invalid batch request: subrequest limit exceeded"));
}

TEST_F(StorageTest, ForwardedCopyAnswersWithItsOwnEntryOnly) {
    auto outcome = handler_->handle("store", store_params(*ours_, "fwd"), kNow, /*forwarded=*/true);
    ASSERT_TRUE(std::holds_alternative<RpcResponse>(outcome));
    const auto& r = std::get<RpcResponse>(outcome);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.body.contains("hash"));
    EXPECT_FALSE(r.body.contains("swarm"));
    EXPECT_EQ(
        std::get<RpcResponse>(handler_->handle("retrieve", json::object(), kNow, true)).status,
        400);
}

}  // namespace
}  // namespace sessionsim::storage
