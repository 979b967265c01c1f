// Bencode (integers, byte strings, lists, dictionaries with sorted keys): the encoding of v4
// onion requests/responses and of node-to-node messages. Decoding is strict and bounded so that
// hostile input yields an error, never a crash or runaway recursion.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/common/errors.h"

namespace sessionsim::bencode {

struct Value;
using List = std::vector<Value>;
using Dict = std::map<std::string, Value>;  // bencode requires byte-sorted keys: std::map order

struct Value {
    std::variant<std::int64_t, std::string, List, Dict> v;

    Value() : v(std::int64_t{0}) {}
    Value(std::int64_t i) : v(i) {}              // NOLINT(google-explicit-constructor)
    Value(std::string s) : v(std::move(s)) {}    // NOLINT(google-explicit-constructor)
    Value(const char* s) : v(std::string(s)) {}  // NOLINT(google-explicit-constructor)
    Value(List l) : v(std::move(l)) {}           // NOLINT(google-explicit-constructor)
    Value(Dict d) : v(std::move(d)) {}           // NOLINT(google-explicit-constructor)

    bool is_int() const { return std::holds_alternative<std::int64_t>(v); }
    bool is_string() const { return std::holds_alternative<std::string>(v); }
    bool is_list() const { return std::holds_alternative<List>(v); }
    bool is_dict() const { return std::holds_alternative<Dict>(v); }

    /// Typed access; throws InvalidInput naming what was expected.
    std::int64_t as_int() const;
    const std::string& as_string() const;
    const List& as_list() const;
    const Dict& as_dict() const;

    friend bool operator==(const Value&, const Value&) = default;
};

std::string encode(const Value& value);

/// Decodes exactly one value spanning all of `data`. Throws InvalidInput with the offset and
/// the reason on anything malformed, trailing bytes, or nesting deeper than `max_depth`.
Value decode(std::string_view data, int max_depth = 32);

/// Looks up a dictionary key; throws InvalidInput("missing key 'k'") if absent.
const Value& at(const Dict& dict, const std::string& key);

}  // namespace sessionsim::bencode
