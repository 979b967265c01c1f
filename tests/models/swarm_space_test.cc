#include <gtest/gtest.h>

#include "models/common/decimal.h"
#include "models/identity/account_id.h"
#include "models/swarm/swarm_space.h"
#include "tests/support/vectors.h"

namespace sessionsim::swarm {
namespace {

TEST(SwarmSpaceVectors, EveryPubkeyMapsToItsSwarmSpace) {
    const auto doc = test::load_vectors("swarm_space.json");
    std::size_t checked = 0;
    for (const auto& v : doc.at("vectors")) {
        const std::string pubkey = v.at("pubkey");
        const auto id = identity::AccountId::parse(pubkey);
        EXPECT_EQ(swarm_space(id.key), parse_u64(v.at("swarm_space_u64").get<std::string>(), "u64"))
            << pubkey;
        ++checked;
    }
    EXPECT_EQ(checked, 13u);
    test::record_checked("swarm_space.json", checked);
}

TEST(SwarmSpace, IsTheBigEndianXorOfFourWords) {
    FixedBytes<32> key{};
    key[7] = 1;     // word 0, least significant byte
    key[8] = 0x80;  // word 1, most significant byte
    EXPECT_EQ(swarm_space(key), 0x8000000000000001ULL);
    key[15] = 1;  // cancels word 0's low byte
    EXPECT_EQ(swarm_space(key), 0x8000000000000000ULL);
}

}  // namespace
}  // namespace sessionsim::swarm
