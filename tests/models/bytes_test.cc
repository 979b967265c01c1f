#include <gtest/gtest.h>

#include <cctype>

#include "models/common/base64.h"
#include "models/common/bytes.h"
#include "models/common/decimal.h"
#include "models/common/errors.h"

namespace sessionsim {
namespace {

TEST(Hex, RoundTripsAnyCase) {
    EXPECT_EQ(to_hex(from_hex("00ff10AbCd")), "00ff10abcd");
    EXPECT_TRUE(from_hex("").empty());
}

TEST(Hex, RejectsOddLengthAndNonHexWithPosition) {
    EXPECT_THROW(from_hex("abc"), InvalidInput);
    try {
        from_hex("00zz", "SEED_HEX");
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& e) {
        EXPECT_STREQ(e.what(), "SEED_HEX is not hex: character 'z' at position 2");
    }
}

TEST(Hex, FixedLengthNamesExpectedSize) {
    EXPECT_EQ(fixed_from_hex<2>("beef", "x")[1], 0xef);
    try {
        fixed_from_hex<32>("beef", "pubkey");
        FAIL();
    } catch (const InvalidInput& e) {
        EXPECT_STREQ(e.what(), "pubkey must be 64 hex characters (32 bytes), got 4");
    }
}

TEST(Decimal, ParsesFullU64Range) {
    EXPECT_EQ(parse_u64("0", "id"), 0u);
    EXPECT_EQ(parse_u64("18446744073709551615", "id"), UINT64_MAX);
}

TEST(Decimal, RejectsSignsSpacesOverflowAndEmpty) {
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1.5", "18446744073709551616"}) {
        EXPECT_THROW(parse_u64(bad, "id"), InvalidInput) << bad;
    }
}

TEST(Decimal, ParsesLists) {
    EXPECT_TRUE(parse_u64_list("", "id").empty());
    EXPECT_EQ(parse_u64_list("3,1,2", "id"), (std::vector<std::uint64_t>{3, 1, 2}));
    EXPECT_THROW(parse_u64_list("1,,2", "id"), InvalidInput);
    EXPECT_THROW(parse_u64_list("1,", "id"), InvalidInput);
}

// Every byte outside the alphabet is refused wherever it stands. libsodium 1.0.18 alone decodes
// some bytes above 0x7f as digits: a reply a hostile relay had corrupted that way opened.
TEST(Base64, RefusesEveryByteOutsideTheAlphabet) {
    Bytes data(30);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::uint8_t>(i * 37 + 5);
    const std::string text = to_base64(data);
    ASSERT_EQ(from_base64(text), data);
    std::size_t refused = 0, accepted = 0;
    for (int c = 0; c < 256; ++c) {
        std::string bad = text;
        bad[7] = static_cast<char>(c);
        const bool alphabet = std::isalnum(c) || c == '+' || c == '/';
        if (alphabet) {
            EXPECT_TRUE(is_base64(bad)) << c;
            ++accepted;
        } else {
            EXPECT_THROW((void)from_base64(bad), InvalidInput) << c;
            EXPECT_FALSE(is_base64(bad)) << c;
            ++refused;
        }
    }
    EXPECT_EQ(accepted, 64u);
    EXPECT_EQ(refused, 192u);
}

}  // namespace
}  // namespace sessionsim
