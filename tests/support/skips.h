// Skips that cannot vanish unnoticed. A test that needs something the machine may lack (AES-NI
// for AES-GCM, root and TUN devices for network namespaces) skips with SESSIONSIM_SKIP_WITHOUT,
// which names the capability; GoogleTest reports "[  SKIPPED ]", CTest lists the test as skipped
// and scripts/test-all.sh counts it in its last line. Where SESSIONSIM_REQUIRE lists the
// capability (scripts/test-all.sh sets it under SESSIONSIM_STRICT_SKIPS=1, as CI does, from a
// probe of the machine), the same call fails the test: a test expected to run here did not.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

namespace sessionsim::test {

/// The capabilities a test may need, as SESSIONSIM_REQUIRE spells them.
inline constexpr std::string_view kAesNi = "aes-ni";
inline constexpr std::string_view kNetworkNamespaces = "netns";

/// Whether SESSIONSIM_REQUIRE (comma-separated) lists `capability`.
bool capability_required(std::string_view capability);

}  // namespace sessionsim::test

/// Skips the running test for want of `capability`, or fails it where the capability is required.
#define SESSIONSIM_SKIP_WITHOUT(capability, reason)                                               \
    do {                                                                                          \
        if (::sessionsim::test::capability_required(capability))                                  \
            FAIL() << "needs " << (capability) << ", which SESSIONSIM_REQUIRE says this machine " \
                   << "has, but: " << reason;                                                     \
        GTEST_SKIP() << "no " << (capability) << ": " << reason;                                  \
    } while (false)
