#include "models/client/profiles.h"

#include <algorithm>

namespace sessionsim::client {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kHour = 3600 * kSecond;

/// The user's inbox and the four user-config namespaces every shipped client polls (desktop
/// swarmPolling.ts, Android Poller.kt, iOS CurrentUserPoller.namespaces).
const std::vector<storage::Namespace> kUserNamespaces{
    storage::ns::kDefault, storage::ns::kUserProfile, storage::ns::kContacts,
    storage::ns::kConvoInfoVolatile, storage::ns::kUserGroups};
/// Desktop's order (swarmPolling.ts): user groups before the volatile conversation info.
const std::vector<storage::Namespace> kDesktopNamespaces{
    storage::ns::kDefault, storage::ns::kUserProfile, storage::ns::kContacts,
    storage::ns::kUserGroups, storage::ns::kConvoInfoVolatile};

/// Desktop's poll loop (swarmPolling.ts): 5 s after the slower of 2 random members answers,
/// the same 5 s after a failure (no backoff).
void poll_as_desktop(ClientConfig& c) {
    c.poll_interval_ms = 5 * kSecond;
    c.poll_schedule = ClientConfig::PollSchedule::after_completion;
    c.poll_nodes = 2;
    c.poll_node_choice = ClientConfig::PollNodeChoice::random_sample;
    c.poll_namespaces = kUserNamespaces;
    c.poll_retry_first_ms = c.poll_interval_ms;
    c.poll_retry_step_ms = 0;
    c.poll_retry_max_ms = c.poll_interval_ms;
}

ClientProfile composite() {
    return {"composite",
            "sessionsim's first client (before issue 25): a mix of desktop and libsession rules",
            {},
            {}};
}

/// session-foundation/session-desktop v1.17.17: its own TypeScript onion stack.
ClientProfile desktop() {
    ClientProfile p{"desktop", "Session Desktop 1.17 (its own TypeScript onion stack)", {}, {}};
    auto& c = p.config;
    c.enc_type = onion::EncType::aes_gcm;
    c.request_timeout_ms = 10 * kSecond;
    poll_as_desktop(c);
    c.poll_namespaces = kDesktopNamespaces;
    c.sync_copies = true;
    c.subnet_diversity = ClientConfig::SubnetDiversity::all_paths;
    c.path_failure_strikes = ClientConfig::PathFailureStrikes::relays;
    c.timeout_strikes = ClientConfig::TimeoutStrikes::path_failure;
    c.network_time = ClientConfig::NetworkTime::reply_average;  // GetNetworkTime
    c.on_clock_refusal = ClientConfig::ClockRefusal::fail;
    c.guard_test = ClientConfig::GuardTest::get_swarm;  // testGuardNode: direct, 10 s
    c.guard_test_timeout_ms = 10 * kSecond;
    c.guard_test_attempts = 12;  // 2 candidates a round, 6 rounds
    c.guard_test_failure_strikes = false;
    c.strike_expiry_ms = 0;
    c.strikes_cleared_on_refresh = true;
    c.pool_refresh_interval_ms = 1 * kHour;
    p.driver.reuse = DriverConfig::Reuse::per_request;
    p.driver.multiplexed = false;        // HTTPS, one request per connection
    p.driver.handshake_round_trips = 1;  // TLS 1.3 over TCP
    return p;
}

/// session-foundation/session-android 1.33.4: its own Kotlin onion stack over OkHttp.
ClientProfile android() {
    ClientProfile p{
        "android", "Session Android 1.33 (its own Kotlin onion stack over OkHttp)", {}, {}};
    auto& c = p.config;
    c.enc_type = onion::EncType::aes_gcm;
    c.request_timeout_ms = 120 * kSecond;  // OkHttp's call timeout: no shorter onion timeout
    c.poll_interval_ms = 2 * kSecond;
    c.poll_schedule = ClientConfig::PollSchedule::after_completion;
    c.poll_nodes = 1;
    c.poll_node_choice = ClientConfig::PollNodeChoice::drain;
    c.poll_node_reuse = 1;
    c.poll_namespaces = kUserNamespaces;
    c.poll_retry_first_ms = 4 * kSecond;  // 2 s x (failures + 1), at most 10 s
    c.poll_retry_step_ms = 2 * kSecond;
    c.poll_retry_max_ms = 10 * kSecond;
    c.sync_copies = true;
    c.subnet_diversity = ClientConfig::SubnetDiversity::none;  // paths share no node, that is all
    c.path_failure_strikes = ClientConfig::PathFailureStrikes::all_nodes;
    c.timeout_strikes = ClientConfig::TimeoutStrikes::path_and_guard;
    c.strike_expiry_ms = 0;
    c.strikes_cleared_on_refresh = true;
    c.path_rotation_ms = 10 * 60 * kSecond;  // PathManager PATH_ROTATE_INTERVAL_MS, guard kept
    c.network_time = ClientConfig::NetworkTime::info_median;
    c.on_clock_refusal = ClientConfig::ClockRefusal::resync_and_retry;
    p.driver.reuse = DriverConfig::Reuse::keep_alive;
    p.driver.multiplexed = false;              // HTTP/1.1 (the storage server speaks no HTTP/2)
    p.driver.idle_timeout_ms = 300 * kSecond;  // OkHttp's default pool: idle 5 minutes
    p.driver.handshake_round_trips = 1;
    return p;
}

/// libsession-util's network layer with its own defaults (network_config.hpp), polled as
/// session desktop polls: a desktop client built on the library every newer client moves to.
ClientProfile libsession() {
    ClientProfile p{"libsession",
                    "libsession-util 1.6 network defaults (QUIC), polled as desktop polls",
                    {},
                    {}};
    auto& c = p.config;
    c.enc_type = onion::EncType::xchacha20;
    c.request_timeout_ms = 10 * kSecond;
    poll_as_desktop(c);
    c.sync_copies = true;
    c.subnet_diversity = ClientConfig::SubnetDiversity::all_paths;
    c.path_failure_strikes = ClientConfig::PathFailureStrikes::all_nodes_when_dropped;
    c.timeout_strikes = ClientConfig::TimeoutStrikes::none;
    c.strike_expiry_ms = 48 * kHour;  // STRIKE_EXPIRY, snode_pool.cpp
    c.strikes_cleared_on_refresh = false;
    c.guard_test = ClientConfig::GuardTest::connect;  // a QUIC handshake, 3 s
    c.guard_test_timeout_ms = 3 * kSecond;
    c.guard_test_attempts = 10;
    c.guard_test_failure_strikes = true;
    c.path_rotation_ms = 10 * 60 * kSecond;   // onionreq_path_rotation_frequency
    c.guard_lifetime_ms = 10LL * 24 * kHour;  // onionreq_edge_node_cache_duration
    c.on_wrong_swarm = ClientConfig::WrongSwarm::refetch;
    c.swarm_lookup = ClientConfig::SwarmLookup::local;
    c.network_time = ClientConfig::NetworkTime::info_median;  // 3 nodes, median
    c.on_clock_refusal = ClientConfig::ClockRefusal::fail;    // resync, then fail it
    c.pool_refresh_interval_ms = 2 * kHour;
    c.pool_min_size = 12;
    c.connection_loss = ClientConfig::ConnectionLoss::drops_path;
    p.driver.reuse = DriverConfig::Reuse::keep_alive;
    p.driver.multiplexed = true;                  // QUIC streams on one connection
    p.driver.handshake_round_trips = 0;           // QUIC: one round trip, the transport's own
    p.driver.keep_alive_ms = 10 * kSecond;        // quic_keep_alive
    p.driver.liveness_timeout_ms = 30 * kSecond;  // libquic DEFAULT_IDLE_TIMEOUT
    p.driver.handshake_timeout_ms = 3 * kSecond;  // the connect timeout of guard connections
    return p;
}

/// session-foundation/session-ios 2.15.2: libsession-util 1.6.3's network, its own poller.
ClientProfile ios() {
    ClientProfile p = libsession();
    p.name = "ios";
    p.description = "Session iOS 2.15 (libsession-util 1.6.3's network, its own poller)";
    auto& c = p.config;
    c.poll_interval_ms = 1'500;
    c.poll_nodes = 1;
    c.poll_node_choice = ClientConfig::PollNodeChoice::drain;
    c.poll_node_reuse = 6;
    c.poll_retry_first_ms = 300;  // 0.25 s x 1.2 x failures, at most 15 s
    c.poll_retry_step_ms = 300;
    c.poll_retry_max_ms = 15 * kSecond;
    return p;
}

}  // namespace

const std::vector<ClientProfile>& client_profiles() {
    static const std::vector<ClientProfile> profiles{composite(), desktop(), android(), ios(),
                                                     libsession()};
    return profiles;
}

const ClientProfile* find_client_profile(std::string_view name) {
    const auto& all = client_profiles();
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const ClientProfile& p) { return p.name == name; });
    return it == all.end() ? nullptr : &*it;
}

std::vector<std::string> client_profile_names() {
    std::vector<std::string> names;
    for (const auto& p : client_profiles())
        names.push_back(p.name);
    return names;
}

}  // namespace sessionsim::client
