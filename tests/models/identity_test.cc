// Seed -> Ed25519 -> X25519 -> Session ID, against every key vector of identity.json.
#include <gtest/gtest.h>

#include "models/common/errors.h"
#include "models/identity/keys.h"
#include "models/identity/mnemonic.h"
#include "tests/support/vectors.h"

namespace sessionsim::identity {
namespace {

TEST(IdentityVectors, EveryKeyVectorDerivesExactly) {
    const auto doc = test::load_vectors("identity.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        if (!v.contains("session_id"))
            continue;  // signature/conversion entries: crypto_test.cc
        SCOPED_TRACE(v.at("session_id").get<std::string>());
        const auto seed32 =
            crypto::Ed25519Seed::from(from_hex(v.at("ed25519_seed").get<std::string>()));
        const Identity id = v.contains("seed16") ? Identity::from_account_seed(AccountSeed::from(
                                                       from_hex(v.at("seed16").get<std::string>())))
                                                 : Identity::from_ed25519_seed(seed32);
        EXPECT_EQ(id.ed25519_seed(), seed32);
        EXPECT_EQ(to_hex(id.ed25519().public_key), v.at("ed25519_pubkey"));
        EXPECT_EQ(to_hex(id.ed25519().secret_key.view()), v.at("ed25519_secret_key_64"));
        EXPECT_EQ(to_hex(id.x25519().public_key), v.at("x25519_pubkey"));
        EXPECT_EQ(to_hex(id.x25519().secret_key.view()), v.at("x25519_secret"));
        EXPECT_EQ(id.session_id().to_hex(), v.at("session_id"));
        if (v.contains("recovery_phrase_13_words")) {
            ASSERT_TRUE(id.has_short_seed());
            const auto seed16 = id.ed25519_seed().view().first(16);
            EXPECT_EQ(mnemonic::encode_phrase(seed16), v.at("recovery_phrase_13_words"));
            // And back: phrase -> seed -> the same Session ID.
            const auto decoded =
                mnemonic::decode_phrase(v.at("recovery_phrase_13_words").get<std::string>());
            const auto again = Identity::from_account_seed(AccountSeed::from(decoded.bytes));
            EXPECT_EQ(again.session_id(), id.session_id());
        }
        ++checked;
    }
    EXPECT_EQ(checked, 9u);
    test::record_checked("identity.json (key entries)", checked);
}

TEST(AccountId, ParsesAndPrintsAllPrefixes) {
    const auto id =
        AccountId::parse("03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc");
    EXPECT_EQ(id.prefix, 0x03);
    EXPECT_EQ(prefix_name(id.prefix), "group");
    EXPECT_EQ(id.to_hex(), "03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc");
    EXPECT_EQ(prefix_name(0x42), "unknown");
}

TEST(AccountId, RejectsWrongLengthsAndNonHex) {
    EXPECT_THROW(AccountId::parse("05abcd"), InvalidInput);
    EXPECT_THROW(AccountId::parse(std::string(64, 'a')), InvalidInput);
    EXPECT_THROW(AccountId::parse(std::string(64, 'a') + "zz"), InvalidInput);
    const auto [prefix, key] = AccountId::parse_with_optional_prefix(std::string(64, 'a'));
    EXPECT_FALSE(prefix.has_value());
    EXPECT_EQ(key[0], 0xaa);
}

TEST(Identity, FullEntropySeedIsNotShort) {
    crypto::Ed25519Seed seed;
    seed.data()[31] = 1;
    EXPECT_FALSE(Identity::from_ed25519_seed(seed).has_short_seed());
}

}  // namespace
}  // namespace sessionsim::identity
