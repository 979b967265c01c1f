#include "sim/scenario/scenario_config.h"

#include "sim/scenario/client_settings.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <sstream>

namespace sessionsim::scenario {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

[[noreturn]] void fail(const std::string& origin, const std::string& key, const std::string& why) {
    throw ScenarioError(origin + ": " + key + ": " + why);
}

std::string unknown_key_reason(const std::string& key) {
    std::string best;
    std::size_t best_d = 4;
    for (const auto& k : schema()) {
        const std::size_t d = edit_distance(key, k.key);
        if (d < best_d) {
            best_d = d;
            best = k.key;
        }
    }
    return "unknown key" + (best.empty() ? std::string() : " (did you mean '" + best + "'?)");
}

Value from_node(const std::string& origin, const std::string& key, const toml::node& node) {
    if (const auto* i = node.as_integer())
        return std::int64_t{i->get()};
    if (const auto* f = node.as_floating_point())
        return double{f->get()};
    if (const auto* b = node.as_boolean())
        return bool{b->get()};
    if (const auto* s = node.as_string())
        return std::string(s->get());
    fail(origin, key, "must be a single value (integer, number, boolean or string)");
}

void walk(const std::string& origin, const toml::table& table, const std::string& prefix,
          std::vector<std::pair<std::string, Value>>& out) {
    for (const auto& [k, node] : table) {
        const std::string key =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (const auto* sub = node.as_table()) {
            walk(origin, *sub, key, out);
        } else {
            if (!find_key(key))
                fail(origin, key, unknown_key_reason(key));
            out.emplace_back(key, from_node(origin, key, node));
        }
    }
}

std::string describe(const KeySpec& spec) {
    const bool integral = std::holds_alternative<std::int64_t>(spec.default_value);
    const auto bound = [&](double v) {
        return integral ? std::to_string(static_cast<std::int64_t>(v)) : render(Value(v));
    };
    std::ostringstream s;
    s << "must be "
      << (integral ? std::string("an integer") : "a " + type_name(spec.default_value));
    if (spec.min && spec.max)
        s << " from " << bound(*spec.min) << " to " << bound(*spec.max);
    if (!spec.choices.empty()) {
        s << ", one of:";
        for (const auto& c : spec.choices)
            s << ' ' << c;
    }
    return s.str();
}

}  // namespace

void Scenario::set(const std::string& origin, const std::string& key, Value value) {
    const KeySpec* spec = find_key(key);
    if (!spec)
        fail(origin, key, unknown_key_reason(key));
    // An integer is a fine number; nothing else converts.
    if (std::holds_alternative<double>(spec->default_value) &&
        std::holds_alternative<std::int64_t>(value)) {
        value = static_cast<double>(std::get<std::int64_t>(value));
    }
    if (value.index() != spec->default_value.index()) {
        fail(origin, key, describe(*spec) + ", got " + type_name(value) + " " + render(value));
    }
    const auto number =
        std::holds_alternative<std::int64_t>(value)
            ? std::optional<double>(static_cast<double>(std::get<std::int64_t>(value)))
        : std::holds_alternative<double>(value) ? std::optional<double>(std::get<double>(value))
                                                : std::nullopt;
    if (number && ((spec->min && *number < *spec->min) || (spec->max && *number > *spec->max) ||
                   std::isnan(*number))) {
        fail(origin, key, describe(*spec) + ", got " + render(value));
    }
    if (const auto* s = std::get_if<std::string>(&value);
        s && !spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), *s) == spec->choices.end()) {
        fail(origin, key, describe(*spec) + ", got " + render(value));
    }
    values_[key] = std::move(value);
    explicit_.insert(key);
}

void Scenario::resolve_profile_keys() {
    const std::string origin = source_ == "built-in default" ? "--set" : source_;
    // A profile the scenario names replaces the default mix (a mix it names is an error beside
    // it, below). The centralized baseline ignores any mix: its clients are one kind, not
    // Session's apps, so that a Session scenario runs as it is with messenger = "central".
    if ((!is_set("clients.profile_mix") && is_set("client.profile")) ||
        text("messenger") == "central")
        values_["clients.profile_mix"] = std::string();
    std::vector<std::pair<std::string, double>> mix;
    try {
        mix = parse_profile_mix(text("clients.profile_mix"));
    } catch (const std::exception& e) {
        fail(origin, "clients.profile_mix", e.what());
    }
    if (!mix.empty() && is_set("client.profile"))
        fail(origin, "clients.profile_mix",
             "set either client.profile (one profile for every client) or clients.profile_mix, "
             "not both");
    const auto* profile = client::find_client_profile(text("client.profile"));
    if (!mix.empty())
        values_.erase("client.profile");  // each client's own, from the mix
    for (const auto& key : profile_keys()) {
        if (is_set(key.key)) {
            try {  // a value the schema's type and range allow may still not make sense
                auto check = *profile;
                key.apply(values_.at(key.key), check);
            } catch (const std::exception& e) {
                fail(origin, key.key, e.what());
            }
            continue;
        }
        if (mix.empty())
            values_[key.key] = key.read(*profile);
        else
            values_.erase(key.key);
    }
}

const Value* Scenario::find(const std::string& key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

const Value& Scenario::value(const std::string& key) const {
    if (const auto* v = find(key))
        return *v;
    if (find_key(key))
        throw ScenarioError(source_ + ": " + key +
                            ": depends on the client profile, and clients.profile_mix runs "
                            "several: read it per client (client_settings_for)");
    throw ScenarioError(source_ + ": " + key + ": " + unknown_key_reason(key));
}

Scenario Scenario::load(const std::optional<std::string>& path,
                        const std::vector<std::string>& overrides) {
    Scenario sc;
    sc.source_ = path.value_or("built-in default");
    for (const auto& spec : schema())
        sc.values_[spec.key] = spec.default_value;
    if (path) {
        toml::table table;
        try {
            table = toml::parse_file(*path);
        } catch (const toml::parse_error& e) {
            std::ostringstream where;
            where << *path << ":" << e.source().begin.line << ":" << e.source().begin.column;
            throw ScenarioError(where.str() + ": " + std::string(e.description()));
        }
        std::vector<std::pair<std::string, Value>> found;
        walk(*path, table, "", found);
        for (auto& [key, value] : found)
            sc.set(*path, key, std::move(value));
    }
    for (const auto& o : overrides) {
        const auto eq = o.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw ScenarioError("--set " + o + ": expected key=value");
        }
        const std::string key = o.substr(0, eq);
        const std::string text = o.substr(eq + 1);
        const KeySpec* spec = find_key(key);
        if (!spec)
            fail("--set", key, unknown_key_reason(key));
        Value value;
        const bool quoted = text.size() >= 2 && (text.front() == '"' || text.front() == '\'');
        if (std::holds_alternative<std::string>(spec->default_value) && !quoted) {
            // A string key takes the text as written: --set sweep.values=10 means "10".
            sc.set("--set", key, Value(text));
            continue;
        }
        try {
            const toml::table t = toml::parse("v = " + text);
            value = from_node("--set", key, *t.get("v"));
        } catch (const toml::parse_error&) {
            value = text;  // a bare word: a string
        }
        sc.set("--set", key, std::move(value));
    }
    sc.resolve_profile_keys();
    return sc;
}

std::int64_t Scenario::integer(const std::string& key) const {
    return std::get<std::int64_t>(value(key));
}
double Scenario::number(const std::string& key) const {
    return std::get<double>(value(key));
}
const std::string& Scenario::text(const std::string& key) const {
    return std::get<std::string>(value(key));
}
bool Scenario::flag(const std::string& key) const {
    return std::get<bool>(value(key));
}

std::string Scenario::to_toml() const {
    std::ostringstream out;
    out << "# Resolved scenario (source: " << source_ << "); every key, defaults included.\n";
    std::string section;
    for (const auto& spec : schema()) {
        const auto dot = spec.key.find('.');
        const std::string table = dot == std::string::npos ? "" : spec.key.substr(0, dot);
        const std::string name = dot == std::string::npos ? spec.key : spec.key.substr(dot + 1);
        if (table != section) {
            out << "\n[" << table << "]\n";
            section = table;
        }
        if (const auto* v = find(spec.key))
            out << name << " = " << render(*v) << "\n";
        else  // a per-profile key in a run of several profiles
            out << "# " << name << ": per client, from its profile (clients.profile_mix)\n";
    }
    return out.str();
}

}  // namespace sessionsim::scenario
