// The scenario schema: every key a scenario file may set, with its type, default, allowed range
// and meaning. Validation, --set overrides, the resolved config.toml written with every result,
// and the documentation all read this one table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sessionsim::scenario {

using Value = std::variant<std::int64_t, double, bool, std::string>;

struct KeySpec {
    std::string key;  ///< dotted path, e.g. "network.service_nodes"
    Value default_value;
    std::optional<double> min, max;    ///< numbers
    std::vector<std::string> choices;  ///< strings (empty: any)
    std::string meaning;
};

const std::vector<KeySpec>& schema();
const KeySpec* find_key(const std::string& key);

/// "integer", "number", "boolean" or "string".
std::string type_name(const Value& v);
/// TOML-style rendering ("1", "0.5", "true", "\"xchacha20\"").
std::string render(const Value& v);

}  // namespace sessionsim::scenario
