// Client profiles: how each shipped Session client uses the network, as one ClientConfig (the
// protocol core's rules) and one DriverConfig (its connections). Every value is read from the
// client's public source; docs/clients.md lists each with its file. `composite` is the
// simulator's first client, kept so that results made with it stay reproducible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/client/client_config.h"
#include "models/client/driver_config.h"

namespace sessionsim::client {

struct ClientProfile {
    std::string name;
    std::string description;  ///< which client and version, in one line
    ClientConfig config;
    DriverConfig driver;
};

/// Every profile, composite first.
const std::vector<ClientProfile>& client_profiles();
/// The profile called `name`, or nullptr.
const ClientProfile* find_client_profile(std::string_view name);
/// The names, in client_profiles() order.
std::vector<std::string> client_profile_names();

/// The population a run holds unless it names a profile or a mix (clients.profile_mix): today's
/// Session as far as public figures go. Session publishes no platform counts (it collects no
/// analytics); phones are where a messenger is used first, and Android holds about 70% of the
/// world's phones (StatCounter), less in the regions privacy tools are used most, so 5:3 between
/// Android and iOS, and a fifth of clients on desktop. docs/clients.md gives each profile alone
/// beside this mix, so a study can see how much its result depends on the shares.
inline constexpr std::string_view kDefaultProfileMix = "android=0.5 ios=0.3 desktop=0.2";

}  // namespace sessionsim::client
