// A scenario: a TOML file (or the built-in defaults) plus `--set key=value` overrides, checked
// against the schema. Every problem is reported as "<file>: <key>: <reason>".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/schema.h"

namespace sessionsim::scenario {

class ScenarioError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Scenario {
public:
    /// Loads `path` (nullopt: defaults only), then applies overrides ("key=value", value in TOML
    /// syntax; a bare word is taken as a string). Throws ScenarioError.
    static Scenario load(const std::optional<std::string>& path,
                         const std::vector<std::string>& overrides = {});

    std::int64_t integer(const std::string& key) const;
    double number(const std::string& key) const;
    const std::string& text(const std::string& key) const;
    bool flag(const std::string& key) const;

    /// Whether the file or an override set `key` (not left at its default).
    bool is_set(const std::string& key) const { return explicit_.contains(key); }
    /// `key`'s value if the scenario holds one: a key that depends on the client profile has
    /// none in a run of several profiles (clients.profile_mix) unless it was set.
    const Value* find(const std::string& key) const;

    /// The fully resolved scenario as TOML (every key, defaults included), for results folders.
    std::string to_toml() const;
    const std::string& source() const { return source_; }
    const std::map<std::string, Value>& values() const { return values_; }

private:
    void set(const std::string& origin, const std::string& key, Value value);
    const Value& value(const std::string& key) const;
    /// Gives each key that depends on the client profile (client_settings.h) its profile's
    /// value unless it was set; with several profiles, leaves such keys unset.
    void resolve_profile_keys();
    std::string source_;
    std::map<std::string, Value> values_;
    std::set<std::string> explicit_;
};

}  // namespace sessionsim::scenario
