// Property-based tests (rapidcheck) inside GoogleTest, reproducible by default.
//
// rapidcheck draws a fresh random seed on every run unless RC_PARAMS names one; CTest runs must
// give the same verdict every time, so when RC_PARAMS is unset every property here runs from
// the fixed kPropertySeed, with the number of cases the property chose (to keep it under about
// two seconds in a RelWithDebInfo build). To explore further, use rapidcheck's own settings:
//   RC_PARAMS="seed=<u64>"                   another seed
//   RC_PARAMS="seed=<u64> max_success=<n>"   and n cases for every property
// e.g.  RC_PARAMS="seed=$RANDOM max_success=5000" build/tests/models_property_tests
// A failure prints the seed, the shrunk counterexample and a RC_PARAMS="reproduce=..." string
// that replays exactly that case.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace sessionsim::test {

/// The seed every property runs from unless RC_PARAMS says otherwise.
inline constexpr std::uint64_t kPropertySeed = 0x5e55'1015'1a17'0028;

/// rapidcheck's settings, with the fixed seed unless RC_PARAMS is set. rapidcheck reads RC_PARAMS
/// once, on first use, and prints the configuration it uses.
inline const rc::detail::Configuration& property_configuration() {
    static const bool fixed_seed = [] {
        if (std::getenv("RC_PARAMS") != nullptr)
            return false;
        setenv("RC_PARAMS", ("seed=" + std::to_string(kPropertySeed)).c_str(), 0);
        return true;
    }();
    (void)fixed_seed;
    return rc::detail::configuration();
}

/// Checks `property` (a callable taking generated arguments and asserting with RC_ASSERT) over
/// `cases` cases, failing the current GoogleTest test with the counterexample if one is found.
/// `max_size` bounds rapidcheck's size parameter (container lengths, nesting) as usual.
template <class Property>
void check_property(int cases, Property&& property, int max_size = 100) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    rc::detail::TestMetadata metadata;
    metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
    metadata.description = info->name();
    rc::detail::TestParams params = property_configuration().testParams;
    const char* settings = std::getenv("RC_PARAMS");
    if (settings == nullptr ||
        std::string_view(settings).find("max_success") == std::string_view::npos)
        params.maxSuccess = cases;
    params.maxSize = max_size;
    const auto result =
        rc::detail::checkTestable(std::forward<Property>(property), metadata, params);
    if (result.template is<rc::detail::SuccessResult>()) {
        // Properties that tag their cases (RC_TAG, RC_CLASSIFY) get the distribution shown.
        if (!result.template get<rc::detail::SuccessResult>().distribution.empty())
            rc::detail::printResultMessage(result, std::cout);
        return;
    }
    std::ostringstream message;
    rc::detail::printResultMessage(result, message);
    FAIL() << "property failed with RC_PARAMS=\"seed=" << params.seed << "\" (" << params.maxSuccess
           << " cases):\n"
           << message.str();
}

}  // namespace sessionsim::test
