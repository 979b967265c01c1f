#include "sim/scenario/client_settings.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "models/crypto/random.h"
#include "models/onion/enc_type.h"

namespace sessionsim::scenario {
namespace {

using client::ClientConfig;
using client::ClientProfile;
using client::DriverConfig;

double ms_as_seconds(std::int64_t ms) {
    return static_cast<double>(ms) / 1000;
}
std::int64_t seconds_as_ms(const Value& v) {
    return static_cast<std::int64_t>(std::llround(std::get<double>(v) * 1000));
}

/// A key holding milliseconds of the profile as seconds.
ProfileKey duration_key(std::string key, std::int64_t ClientConfig::*field) {
    return {std::move(key),
            [field](const ClientProfile& p) { return Value(ms_as_seconds(p.config.*field)); },
            [field](const Value& v, ClientProfile& p) { p.config.*field = seconds_as_ms(v); }};
}

template <typename T>
ProfileKey integer_key(std::string key, T ClientConfig::*field) {
    return {std::move(key),
            [field](const ClientProfile& p) {
                return Value(static_cast<std::int64_t>(p.config.*field));
            },
            [field](const Value& v, ClientProfile& p) {
                p.config.*field = static_cast<T>(std::get<std::int64_t>(v));
            }};
}

/// A key holding milliseconds of the profile's driver as seconds.
ProfileKey driver_duration_key(std::string key, std::int64_t DriverConfig::*field) {
    return {std::move(key),
            [field](const ClientProfile& p) { return Value(ms_as_seconds(p.driver.*field)); },
            [field](const Value& v, ClientProfile& p) { p.driver.*field = seconds_as_ms(v); }};
}

ProfileKey flag_key(std::string key, bool ClientConfig::*field) {
    return {std::move(key), [field](const ClientProfile& p) { return Value(p.config.*field); },
            [field](const Value& v, ClientProfile& p) { p.config.*field = std::get<bool>(v); }};
}

/// An enum field named by strings, in the enum's order.
template <typename E>
ProfileKey choice_key(std::string key, E ClientConfig::*field, std::vector<std::string> names) {
    return {std::move(key),
            [field, names](const ClientProfile& p) {
                return Value(names.at(static_cast<std::size_t>(p.config.*field)));
            },
            [field, names](const Value& v, ClientProfile& p) {
                const auto it = std::find(names.begin(), names.end(), std::get<std::string>(v));
                p.config.*field = static_cast<E>(it - names.begin());
            }};
}

std::string namespace_list(const std::vector<storage::Namespace>& namespaces) {
    std::string out;
    for (const auto ns : namespaces)
        out += (out.empty() ? "" : ",") + std::to_string(ns);
    return out;
}

}  // namespace

std::vector<storage::Namespace> parse_namespace_list(const std::string& text) {
    std::vector<storage::Namespace> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::size_t used = 0;
        long value = 0;
        try {
            value = std::stol(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || item.find_first_not_of(" ", used) != std::string::npos || value < -32768 ||
            value > 32767)
            throw std::invalid_argument("'" + item +
                                        "' is not a namespace (an integer from -32768 to 32767)");
        out.push_back(static_cast<storage::Namespace>(value));
    }
    if (out.empty())
        throw std::invalid_argument("names no namespace");
    return out;
}

const std::vector<ProfileKey>& profile_keys() {
    static const std::vector<ProfileKey> keys{
        {"onion.enc_type",
         [](const ClientProfile& p) {
             return Value(std::string(onion::to_string(p.config.enc_type)));
         },
         [](const Value& v, ClientProfile& p) {
             p.config.enc_type = *onion::parse_enc_type(std::get<std::string>(v));
         }},
        duration_key("client.request_timeout_s", &ClientConfig::request_timeout_ms),
        duration_key("client.poll_interval_s", &ClientConfig::poll_interval_ms),
        choice_key("client.poll_schedule", &ClientConfig::poll_schedule,
                   {"fixed_clock", "after_completion"}),
        integer_key("client.poll_nodes", &ClientConfig::poll_nodes),
        choice_key("client.poll_node_choice", &ClientConfig::poll_node_choice,
                   {"random_sample", "drain"}),
        integer_key("client.poll_node_reuse", &ClientConfig::poll_node_reuse),
        {"client.poll_namespaces",
         [](const ClientProfile& p) { return Value(namespace_list(p.config.poll_namespaces)); },
         [](const Value& v, ClientProfile& p) {
             p.config.poll_namespaces = parse_namespace_list(std::get<std::string>(v));
         }},
        duration_key("client.poll_retry_first_s", &ClientConfig::poll_retry_first_ms),
        duration_key("client.poll_retry_step_s", &ClientConfig::poll_retry_step_ms),
        duration_key("client.poll_retry_max_s", &ClientConfig::poll_retry_max_ms),
        choice_key("client.on_wrong_swarm", &ClientConfig::on_wrong_swarm,
                   {"take_list", "refetch"}),
        choice_key("client.swarm_lookup", &ClientConfig::swarm_lookup, {"get_swarm", "local"}),
        flag_key("client.sync_copies", &ClientConfig::sync_copies),
        choice_key("client.network_time", &ClientConfig::network_time,
                   {"none", "reply_average", "info_median"}),
        choice_key("client.on_clock_refusal", &ClientConfig::on_clock_refusal,
                   {"fail", "resync_and_retry"}),
        choice_key("client.guard_test", &ClientConfig::guard_test,
                   {"none", "get_swarm", "connect"}),
        duration_key("client.guard_test_timeout_s", &ClientConfig::guard_test_timeout_ms),
        integer_key("client.guard_test_attempts", &ClientConfig::guard_test_attempts),
        flag_key("client.guard_test_failure_strikes", &ClientConfig::guard_test_failure_strikes),
        duration_key("client.path_rotation_s", &ClientConfig::path_rotation_ms),
        duration_key("client.guard_lifetime_s", &ClientConfig::guard_lifetime_ms),
        choice_key("client.subnet_diversity", &ClientConfig::subnet_diversity,
                   {"none", "per_path", "all_paths"}),
        choice_key("client.path_failure_strikes", &ClientConfig::path_failure_strikes,
                   {"path_only", "relays", "all_nodes", "all_nodes_when_dropped"}),
        choice_key("client.timeout_strikes", &ClientConfig::timeout_strikes,
                   {"path_failure", "path_and_guard", "none"}),
        choice_key("client.connection_loss", &ClientConfig::connection_loss,
                   {"ignored", "drops_path"}),
        duration_key("client.strike_expiry_s", &ClientConfig::strike_expiry_ms),
        flag_key("client.strikes_cleared_on_refresh", &ClientConfig::strikes_cleared_on_refresh),
        duration_key("client.pool_refresh_interval_s", &ClientConfig::pool_refresh_interval_ms),
        integer_key("client.pool_min_size", &ClientConfig::pool_min_size),
        {"client.handshake_round_trips",
         [](const ClientProfile& p) {
             return Value(static_cast<std::int64_t>(p.driver.handshake_round_trips));
         },
         [](const Value& v, ClientProfile& p) {
             p.driver.handshake_round_trips = static_cast<int>(std::get<std::int64_t>(v));
         }},
        {"client.connection_reuse",
         [](const ClientProfile& p) {
             return Value(std::string(p.driver.reuse == DriverConfig::Reuse::per_request
                                          ? "per_request"
                                          : "keep_alive"));
         },
         [](const Value& v, ClientProfile& p) {
             p.driver.reuse = std::get<std::string>(v) == "per_request"
                                  ? DriverConfig::Reuse::per_request
                                  : DriverConfig::Reuse::keep_alive;
         }},
        {"client.multiplexed", [](const ClientProfile& p) { return Value(p.driver.multiplexed); },
         [](const Value& v, ClientProfile& p) { p.driver.multiplexed = std::get<bool>(v); }},
        driver_duration_key("client.idle_timeout_s", &DriverConfig::idle_timeout_ms),
        driver_duration_key("client.keep_alive_s", &DriverConfig::keep_alive_ms),
        driver_duration_key("client.liveness_timeout_s", &DriverConfig::liveness_timeout_ms),
        driver_duration_key("client.handshake_timeout_s", &DriverConfig::handshake_timeout_ms),
    };
    return keys;
}

const ProfileKey* find_profile_key(const std::string& key) {
    const auto& keys = profile_keys();
    const auto it =
        std::find_if(keys.begin(), keys.end(), [&](const ProfileKey& k) { return k.key == key; });
    return it == keys.end() ? nullptr : &*it;
}

std::vector<std::pair<std::string, double>> parse_profile_mix(const std::string& text) {
    std::vector<std::pair<std::string, double>> mix;
    std::string spaced = text;
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    std::istringstream in(spaced);
    std::string entry;
    double total = 0;
    while (in >> entry) {
        const auto eq = entry.find('=');
        const std::string name = entry.substr(0, eq);
        if (eq == std::string::npos || !client::find_client_profile(name)) {
            std::string names;
            for (const auto& n : client::client_profile_names())
                names += " " + n;
            throw std::invalid_argument("'" + entry +
                                        "': expected profile=share, profile one of:" + names);
        }
        double share = 0;
        std::size_t used = 0;
        try {
            share = std::stod(entry.substr(eq + 1), &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || eq + 1 + used != entry.size() || !(share > 0) || !std::isfinite(share))
            throw std::invalid_argument("'" + entry + "': the share must be a number above 0");
        if (std::any_of(mix.begin(), mix.end(), [&](const auto& m) { return m.first == name; }))
            throw std::invalid_argument("profile '" + name + "' is named twice");
        mix.emplace_back(name, share);
        total += share;
    }
    for (auto& [name, share] : mix)
        share /= total;
    return mix;
}

std::vector<std::string> profiles_in_use(const Scenario& sc) {
    const auto mix = parse_profile_mix(sc.text("clients.profile_mix"));
    if (mix.empty())
        return {sc.text("client.profile")};
    std::vector<std::string> names;
    for (const auto& [name, share] : mix)
        names.push_back(name);
    return names;
}

ClientSettings client_settings_for(const Scenario& sc, const std::string& profile_name,
                                   bool background) {
    const auto* base = client::find_client_profile(profile_name);
    if (!base)
        throw ScenarioError(sc.source() + ": client.profile: no profile '" + profile_name + "'");
    ClientProfile profile = *base;
    for (const auto& key : profile_keys()) {
        if (const auto* v = sc.find(key.key))
            key.apply(*v, profile);
    }
    auto& config = profile.config;
    const auto ms = [&](const char* key) {
        return static_cast<std::int64_t>(sc.number(key) * 1000);
    };
    config.path_length = static_cast<std::size_t>(sc.integer("onion.hops"));
    config.fresh_paths = sc.text("onion.path_selection") == "fresh";
    config.background_poll_interval_ms = ms("client.background_poll_interval_s");
    if (background)
        config.poll_interval_ms = config.background_poll_interval_ms;
    config.send_attempts = static_cast<int>(sc.integer("client.send_attempts"));
    config.message_ttl_ms = ms("client.message_ttl_s");
    config.store_ack_signatures = static_cast<int>(sc.integer("client.store_ack_signatures"));
    profile.driver.background_idle_timeout_ms = ms("client.background_idle_timeout_s");
    return {profile.name, std::move(profile.config), profile.driver};
}

std::vector<std::string> client_profile_plan(const Scenario& sc, std::size_t n_clients,
                                             std::uint64_t seed) {
    const auto mix = parse_profile_mix(sc.text("clients.profile_mix"));
    if (mix.empty())
        return std::vector<std::string>(n_clients, sc.text("client.profile"));
    // Whole clients per profile by largest remainders (ties to the profile named first), so a
    // 10,000-client run with android=0.5 has exactly 5,000 Android clients.
    std::vector<std::size_t> counts(mix.size());
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const double exact = mix[i].second * static_cast<double>(n_clients);
        counts[i] = static_cast<std::size_t>(std::floor(exact));
        given += counts[i];
        remainders.emplace_back(exact - std::floor(exact), i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < n_clients; ++k, ++given)
        ++counts[remainders[k % remainders.size()].second];
    std::vector<std::string> plan;
    for (std::size_t i = 0; i < mix.size(); ++i)
        plan.insert(plan.end(), counts[i], mix[i].first);
    crypto::SeededRandom random(seed, "profiles");
    random.shuffle(std::span(plan));
    return plan;
}

std::vector<std::int64_t> client_clock_offsets(const Scenario& sc, std::size_t n_clients,
                                               std::uint64_t seed) {
    const double sd_s = sc.number("clients.clock_offset_sd_s");
    const double far_fraction = sc.number("clients.clock_far_fraction");
    const double far_s = sc.number("clients.clock_far_offset_s");
    std::vector<std::int64_t> offsets(n_clients, 0);
    if (sd_s == 0 && (far_fraction == 0 || far_s == 0))
        return offsets;  // perfect clocks: nothing drawn
    crypto::SeededRandom random(seed, "clocks");
    for (auto& offset : offsets) {
        // Box-Muller: one normal draw from two uniform ones.
        const double u1 = 1.0 - random.unit(), u2 = random.unit();
        double seconds = sd_s * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
        if (random.unit() < far_fraction)  // a clock set wrong, either way
            seconds += random.unit() < 0.5 ? -far_s : far_s;
        offset = static_cast<std::int64_t>(std::llround(seconds * 1000));
    }
    return offsets;
}

double largest_client_value(const Scenario& sc, const std::string& key) {
    double largest = 0;
    for (const auto& name : profiles_in_use(sc)) {
        const Value v = sc.find(key)
                            ? *sc.find(key)
                            : find_profile_key(key)->read(*client::find_client_profile(name));
        largest = std::max(largest, std::holds_alternative<double>(v)
                                        ? std::get<double>(v)
                                        : static_cast<double>(std::get<std::int64_t>(v)));
    }
    return largest;
}

}  // namespace sessionsim::scenario
