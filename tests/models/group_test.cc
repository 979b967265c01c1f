// Groups v2: message encryption, rekeying on membership change, and subaccount access to the
// group's swarm, checked against the storage server's rules.
#include <gtest/gtest.h>

#include "models/common/base64.h"
#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/group/group_keys.h"
#include "models/group/group_message.h"
#include "models/storage/request_handler.h"
#include "models/storage/request_signatures.h"

namespace sessionsim::group {
namespace {

using nlohmann::json;
constexpr std::int64_t kNow = 1'700'000'000'000;

crypto::Ed25519Seed seed_of(const std::string& label) {
    return crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(label)}));
}
identity::Identity member(int i) {
    return identity::Identity::from_ed25519_seed(seed_of("member" + std::to_string(i)));
}

TEST(GroupMessage, RoundTripsWithSenderPaddedTo256) {
    GroupAdmin admin(seed_of("group"));
    admin.rekey({member(0).session_id()});
    crypto::SeededRandom random(1, "group");
    const auto alice = member(0);
    const std::string text = "hello group";
    const Bytes ct =
        encrypt_group_message(as_bytes(text), alice.ed25519(), admin.keys()[0], random);
    EXPECT_EQ(ct.size() % kGroupMessagePadding, 0u);
    const auto opened = decrypt_group_message(ct, admin.keys());
    EXPECT_EQ(opened.sender, alice.session_id());
    EXPECT_EQ(std::string(opened.data.begin(), opened.data.end()), text);
}

TEST(GroupMessage, CompressesWhenSmallerAndRejectsTampering) {
    GroupAdmin admin(seed_of("group"));
    admin.rekey({});
    crypto::SeededRandom random(2, "group");
    const std::string text(5000, 'a');
    const Bytes ct =
        encrypt_group_message(as_bytes(text), member(1).ed25519(), admin.keys()[0], random);
    EXPECT_LT(ct.size(), 1024u) << "zstd should shrink 5000 repeated bytes";
    EXPECT_EQ(decrypt_group_message(ct, admin.keys()).data.size(), 5000u);

    Bytes bad = ct;
    bad[30] ^= 1;
    EXPECT_THROW(
        {
            try {
                decrypt_group_message(bad, admin.keys());
            } catch (const InvalidInput& e) {
                EXPECT_STREQ(e.what(), "unable to decrypt ciphertext with any current group keys");
                throw;
            }
        },
        InvalidInput);
    EXPECT_THROW(decrypt_group_message(Bytes(10), admin.keys()), InvalidInput);
    const std::string huge(kMaxGroupPlaintext + 1, 'x');
    EXPECT_THROW(
        encrypt_group_message(as_bytes(huge), member(1).ed25519(), admin.keys()[0], random),
        InvalidInput);
}

TEST(GroupKeys, MembersOpenTheirEntryAndARemovedMemberIsLockedOut) {
    GroupAdmin admin(seed_of("group"));
    std::vector<identity::Identity> people{member(0), member(1), member(2)};
    const auto first =
        admin.rekey({people[0].session_id(), people[1].session_id(), people[2].session_id()});
    const auto dict = bencode::decode(std::string(first.data.begin(), first.data.end())).as_dict();
    EXPECT_EQ(bencode::at(dict, "k").as_list().size(), kKeyEntryMultiple)
        << "padded with junk so the size does not reveal 3 members";
    EXPECT_EQ(bencode::at(dict, "G").as_int(), 0);

    std::vector<GroupKeyring> rings;
    for (const auto& p : people) {
        rings.emplace_back(admin.signing_keys().public_key, p);
        EXPECT_EQ(rings.back().load(first.data), 0);
    }
    EXPECT_EQ(rings[2].keys()[0], admin.keys()[0]);

    // Member 2 leaves: a new key for 0 and 1 only.
    const auto second = admin.rekey({people[0].session_id(), people[1].session_id()});
    EXPECT_EQ(rings[0].load(second.data), 1);
    EXPECT_EQ(rings[1].load(second.data), 1);
    EXPECT_EQ(rings[2].load(second.data), std::nullopt);
    crypto::SeededRandom random(3, "group");
    const Bytes after = encrypt_group_message(as_bytes(std::string("secret plans")),
                                              people[0].ed25519(), admin.keys()[0], random);
    EXPECT_NO_THROW(decrypt_group_message(after, rings[1].keys()));
    EXPECT_THROW(decrypt_group_message(after, rings[2].keys()), InvalidInput);
    // An outsider cannot open any entry.
    GroupKeyring outsider(admin.signing_keys().public_key, member(9));
    EXPECT_EQ(outsider.load(first.data), std::nullopt);
}

TEST(GroupKeys, ForgedOrMalformedKeysMessagesAreRejected) {
    GroupAdmin admin(seed_of("group"));
    auto msg = admin.rekey({member(0).session_id()}).data;
    GroupKeyring ring(admin.signing_keys().public_key, member(0));
    Bytes forged = msg;
    forged[10] ^= 1;
    EXPECT_THROW(ring.load(forged), InvalidInput);
    GroupAdmin other(seed_of("other group"));
    EXPECT_THROW(ring.load(other.rekey({member(0).session_id()}).data), InvalidInput);
    EXPECT_THROW(ring.load(Bytes{'d', 'e'}), InvalidInput);
    std::vector<identity::AccountId> too_many(101, member(0).session_id());
    for (std::size_t i = 0; i < too_many.size(); ++i)
        too_many[i].key[0] = static_cast<std::uint8_t>(i);
    EXPECT_THROW(admin.rekey(too_many), InvalidInput);
}

/// One node whose swarm holds every account.
class GroupStorage : public ::testing::Test {
protected:
    void SetUp() override {
        const auto node = identity::Identity::from_ed25519_seed(seed_of("node"));
        std::map<swarm::SwarmId, std::vector<storage::NodeContact>> swarms;
        swarms[0].push_back({node.ed25519().public_key, node.x25519().public_key, 0x0a000001});
        handler_ = std::make_unique<storage::RequestHandler>(store_, node.ed25519());
        handler_->set_swarms(std::make_shared<const storage::SwarmView>(std::move(swarms)));
    }

    storage::RpcResponse call(const std::string& method, const json& params) {
        auto outcome = handler_->handle(method, params, kNow);
        if (auto* r = std::get_if<storage::RpcResponse>(&outcome))
            return *r;
        const auto& pending = std::get<storage::Pending>(outcome);
        std::vector<std::map<crypto::Ed25519PublicKey, storage::PeerAnswer>> answers(
            pending.fanouts.size());
        return handler_->complete(pending, answers, kNow);
    }

    /// A member's per-group key and the admin's token for it.
    struct Sub {
        crypto::Ed25519KeyPair key;
        storage::SignedSubaccount token;
    };
    Sub subaccount(const std::string& label, storage::SubaccountAccess flags) {
        auto key = crypto::ed25519_from_seed(seed_of(label));
        return {key, storage::make_subaccount(admin_.signing_keys().secret_key, 0x03, flags,
                                              key.public_key)};
    }
    json with_sub(json p, const Sub& s, const std::string& signed_string) {
        p["subaccount"] = to_base64(s.token.token.bytes);
        p["subaccount_sig"] = to_base64(s.token.signature);
        p["signature"] = to_base64(crypto::ed25519_sign(s.key.secret_key, as_bytes(signed_string)));
        return p;
    }
    json store_params(storage::Namespace ns) {
        return {{"pubkey", admin_.account().to_hex()},
                {"namespace", ns},
                {"timestamp", kNow},
                {"ttl", 3600000},
                {"data", to_base64(as_bytes(std::string("abc 123")))}};
    }
    json retrieve_params(storage::Namespace ns) {
        return {{"pubkey", admin_.account().to_hex()}, {"namespace", ns}, {"timestamp", kNow}};
    }

    GroupAdmin admin_{seed_of("group")};
    storage::MessageStore store_;
    std::unique_ptr<storage::RequestHandler> handler_;
};

using storage::SubaccountAccess;

TEST_F(GroupStorage, MemberStoresAndRetrievesWithItsSubaccount) {
    const auto rw = subaccount("rw", SubaccountAccess::read | SubaccountAccess::write);
    auto r = call("store", with_sub(store_params(11), rw, storage::store_signed_string(11, kNow)));
    ASSERT_EQ(r.status, 200) << r.body_text();
    r = call("retrieve",
             with_sub(retrieve_params(11), rw, storage::retrieve_signed_string(11, kNow)));
    ASSERT_EQ(r.status, 200) << r.body_text();
    EXPECT_EQ(r.body["messages"].size(), 1u);
}

TEST_F(GroupStorage, TokensAreCheckedForPermissionsOwnerAndNetwork) {
    const auto ro = subaccount("ro", SubaccountAccess::read);
    auto r = call("store", with_sub(store_params(11), ro, storage::store_signed_string(11, kNow)));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body_text(), "store signature verification failed");

    // A token signed by someone other than the group.
    auto forged = subaccount("forged", SubaccountAccess::read | SubaccountAccess::write);
    forged.token = storage::make_subaccount(member(0).ed25519().secret_key, 0x03,
                                            SubaccountAccess::read, forged.key.public_key);
    r = call("retrieve",
             with_sub(retrieve_params(11), forged, storage::retrieve_signed_string(11, kNow)));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body_text(), "retrieve signature verification failed");

    // A token for another network prefix, without any_prefix.
    auto wrong_net = subaccount("net", SubaccountAccess::read);
    wrong_net.token = storage::make_subaccount(admin_.signing_keys().secret_key, 0x05,
                                               SubaccountAccess::read, wrong_net.key.public_key);
    r = call("retrieve",
             with_sub(retrieve_params(11), wrong_net, storage::retrieve_signed_string(11, kNow)));
    EXPECT_EQ(r.status, 401);

    // Half a subaccount is a parse error.
    json half = retrieve_params(11);
    half["subaccount"] = to_base64(ro.token.token.bytes);
    half["signature"] = "x";
    EXPECT_EQ(call("retrieve", half).status, 400);
}

TEST_F(GroupStorage, RevocationLocksAMemberOutButTheNewest50AreKept) {
    const auto dude = subaccount("dude", SubaccountAccess::read | SubaccountAccess::write);
    const auto revoke = [&](const storage::SubaccountToken& t) {
        return call("revoke_subaccount", {{"pubkey", admin_.account().to_hex()},
                                          {"revoke", to_base64(t.bytes)},
                                          {"signature", admin_.revoke_signature(t)}});
    };
    const auto read = [&](storage::Namespace ns) {
        return call("retrieve",
                    with_sub(retrieve_params(ns), dude, storage::retrieve_signed_string(ns, kNow)));
    };
    ASSERT_EQ(read(11).status, 200);
    // Only the group may revoke.
    json by_member{{"pubkey", admin_.account().to_hex()},
                   {"revoke", to_base64(dude.token.token.bytes)},
                   {"signature", to_base64(crypto::ed25519_sign(dude.key.secret_key,
                                                                as_bytes(std::string("x"))))}};
    EXPECT_EQ(call("revoke_subaccount", by_member).status, 401);

    ASSERT_EQ(revoke(dude.token.token).status, 200);
    EXPECT_EQ(read(11).status, 401);
    EXPECT_EQ(read(-11).status, 200) << "revoked members may still read namespace -11";
    for (int i = 0; i < 50; ++i)
        revoke(subaccount("other" + std::to_string(i), SubaccountAccess::read).token.token);
    EXPECT_EQ(read(11).status, 200) << "only the newest 50 revocations are kept";
}

}  // namespace
}  // namespace sessionsim::group
