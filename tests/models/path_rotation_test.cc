// Path rotation by profile (path_manager.h): libsession's relays every 10 minutes and its guard
// after 10 days, desktop's paths kept until they fail, and rotation's own random stream.
#include <gtest/gtest.h>

#include "models/client/path_manager.h"
#include "models/client/profiles.h"
#include "tests/support/client_network.h"

namespace sessionsim::client {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kHourMs = 3600LL * 1000;

/// A profile's path rules, its paths ready at once (no guard test).
ClientConfig untested(const char* name) {
    const auto* p = find_client_profile(name);
    EXPECT_NE(p, nullptr) << name;
    auto config = p ? p->config : ClientConfig{};
    config.guard_test = ClientConfig::GuardTest::none;
    return config;
}

TEST(PathRotation, LibsessionRelaysChangeAfterTenMinutesButItsGuardDoesNot) {
    NodePool pool(test_pool(60, 3));
    PathManager paths(untested("libsession"), pool);
    crypto::SeededRandom random(4, "rotation");
    const crypto::Ed25519PublicKey nowhere{};
    ASSERT_TRUE(paths.path_for(nowhere, random, kNow));
    const auto before = paths.paths();
    paths.path_for(nowhere, random, kNow + 599'999);
    EXPECT_EQ(paths.paths(), before) << "not yet ten minutes";
    paths.path_for(nowhere, random, kNow + 600'000);
    ASSERT_EQ(paths.paths().size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        EXPECT_EQ(paths.paths()[i].front().ed25519, before[i].front().ed25519) << "guard kept";
        EXPECT_NE(paths.paths()[i][1].ed25519, before[i][1].ed25519) << "relays replaced";
        EXPECT_NE(paths.paths()[i][2].ed25519, before[i][2].ed25519);
    }
    EXPECT_EQ(paths.paths_rotated(), before.size());
    // After ten days the guard goes too (the edge-node cache).
    paths.path_for(nowhere, random, kNow + 10LL * 24 * kHourMs);
    for (std::size_t i = 0; i < before.size(); ++i)
        EXPECT_NE(paths.paths()[i].front().ed25519, before[i].front().ed25519);
}

TEST(PathRotation, RelaysRotatedToDependOnTheSeedNotOnHowOtherDrawsInterleaved) {
    // Two runs of one client: in the second, its requests drew more from its stream (another
    // destination, a retry) before the rotation. With the rotation's own stream both rotate to
    // the same relays; drawing from the shared stream, they would not.
    const auto rotated_paths = [](int extra_draws, bool own_stream) {
        NodePool pool(test_pool(60, 3));
        PathManager paths(untested("libsession"), pool);
        crypto::SeededRandom random(4, "rotation");
        if (own_stream)
            paths.use_own_rotation_stream(random);
        const crypto::Ed25519PublicKey nowhere{};
        EXPECT_TRUE(paths.path_for(nowhere, random, kNow));
        for (int i = 0; i < extra_draws; ++i)
            random.next_u64();
        paths.path_for(nowhere, random, kNow + 600'000);
        EXPECT_EQ(paths.paths_rotated(), 2u);
        return paths.paths();
    };
    EXPECT_EQ(rotated_paths(0, true), rotated_paths(5, true));
    EXPECT_NE(rotated_paths(0, false), rotated_paths(5, false));
}

TEST(PathRotation, DesktopPathsStayUntilTheyFail) {
    NodePool pool(test_pool(60, 3));
    PathManager paths(untested("desktop"), pool);
    crypto::SeededRandom random(4, "rotation");
    ASSERT_TRUE(paths.path_for({}, random, kNow));
    const auto before = paths.paths();
    paths.path_for({}, random, kNow + 30LL * 24 * kHourMs);
    EXPECT_EQ(paths.paths(), before);
}

}  // namespace
}  // namespace sessionsim::client
