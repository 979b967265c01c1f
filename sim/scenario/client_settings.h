// A scenario's client settings: each client's profile (client.profile, or a share of
// clients.profile_mix), and that profile's rules with the scenario's own keys applied on top, as
// the protocol core's ClientConfig and the driver's DriverConfig. The simulator's clients and
// the testbed's real ones are configured by these functions, from the same keys.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/client/profiles.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct ClientSettings {
    std::string profile;
    client::ClientConfig config;
    client::DriverConfig driver;
};

/// The settings of a client of `profile` (one of the scenario's profiles). `background`: the
/// app polls at client.background_poll_interval_s (the background modes).
ClientSettings client_settings_for(const Scenario& sc, const std::string& profile, bool background);

/// Each client's profile: client.profile for every client, or clients.profile_mix's shares,
/// rounded to whole clients (largest remainders) and dealt at random from the seed's own
/// "profiles" stream (no other draw changes).
std::vector<std::string> client_profile_plan(const Scenario& sc, std::size_t n_clients,
                                             std::uint64_t seed);
/// Each client's clock error, milliseconds: normal with clients.clock_offset_sd_s, plus
/// clients.clock_far_offset_s either way for a clients.clock_far_fraction of them, drawn from
/// the seed's own "clocks" stream (all zero, nothing drawn, for perfect clocks).
std::vector<std::int64_t> client_clock_offsets(const Scenario& sc, std::size_t n_clients,
                                               std::uint64_t seed);
/// The profiles a run uses: client.profile, or those named in clients.profile_mix.
std::vector<std::string> profiles_in_use(const Scenario& sc);
/// The largest value of a per-profile number key over the profiles in use (the slowest poll,
/// the longest timeout), for windows that must cover every client.
double largest_client_value(const Scenario& sc, const std::string& key);

/// "desktop=0.2 android=0.5 ios=0.3" (spaces or commas between entries) as (profile, share);
/// shares are weights, normalised to sum to 1. Empty text: no mix. Throws std::invalid_argument
/// with the reason.
std::vector<std::pair<std::string, double>> parse_profile_mix(const std::string& text);

/// "0,2,3,4,5" as namespaces. Throws std::invalid_argument with the reason.
std::vector<storage::Namespace> parse_namespace_list(const std::string& text);

/// A scenario key whose default comes from the client profile.
struct ProfileKey {
    std::string key;
    std::function<Value(const client::ClientProfile&)> read;
    std::function<void(const Value&, client::ClientProfile&)> apply;
};
const std::vector<ProfileKey>& profile_keys();
const ProfileKey* find_profile_key(const std::string& key);

}  // namespace sessionsim::scenario
