// Reading fields of JSON that another party wrote (a node's reply, a push payload). nlohmann's
// value(key, default) throws type_error when the field is there with another type; a hostile
// peer could then stop a client with {"hash": 7}. These return the fallback instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sessionsim {

/// `j[key]` if `j` is an object holding a string there, else `fallback`.
inline std::string string_field(const nlohmann::json& j, std::string_view key,
                                std::string fallback = {}) {
    if (!j.is_object())
        return fallback;
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

/// `j[key]` if `j` is an object holding an integer there, else `fallback`.
inline std::int64_t int_field(const nlohmann::json& j, std::string_view key,
                              std::int64_t fallback = 0) {
    if (!j.is_object())
        return fallback;
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

}  // namespace sessionsim
