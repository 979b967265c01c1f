// Storage server limits and tolerances (oxenss/rpc/request_handler.h, client_rpc_endpoints.h,
// storage/database.hpp). All times in milliseconds.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sessionsim::storage {

inline constexpr std::int64_t kSecond = 1000;
inline constexpr std::int64_t kMinute = 60 * kSecond;
inline constexpr std::int64_t kDay = 24 * 60 * kMinute;

inline constexpr std::int64_t kTtlMinimum = 10 * kSecond;
inline constexpr std::int64_t kTtlMaximumPublic = 14 * kDay;   ///< public-inbox namespaces
inline constexpr std::int64_t kTtlMaximumPrivate = 30 * kDay;  ///< others, and expiry updates
inline constexpr std::int64_t kStoreTolerance = 10 * kSecond;
inline constexpr std::int64_t kSignatureTolerance = 60 * kSecond;
inline constexpr std::int64_t kSignatureToleranceForwarded = 70 * kSecond;
inline constexpr std::int64_t kCleanupPeriod = 10 * kSecond;
inline constexpr std::int64_t kPeerForwardTimeout = 5 * kSecond;

inline constexpr std::size_t kMaxMessageBody = 76'800;
inline constexpr std::int64_t kRetrieveMaxSize = 7'800'000;
inline constexpr std::int64_t kMessageOverhead = 100;  ///< per message in retrieve size sums
inline constexpr std::size_t kBatchRequestMax = 20;

/// Timestamps below this (1e9 ms, i.e. 1,000,000 s after the epoch) are taken to be seconds
/// given by mistake and rejected.
inline constexpr std::int64_t kMinimumTimestampMs = 1'000'000'000;

}  // namespace sessionsim::storage
