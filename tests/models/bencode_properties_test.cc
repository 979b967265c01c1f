// Bencode properties over generated values and byte soups: encoding round-trips through the
// decoder, the decoder accepts only canonical text (so whatever it accepts re-encodes to the same
// bytes), and the depth limit is exact. Seeds and case counts: tests/support/properties.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "models/common/bencode.h"
#include "models/common/errors.h"
#include "tests/support/properties.h"

namespace sessionsim::bencode {

// rapidcheck prints counterexamples with showValue (found by ADL): the encoding, escaped.
void showValue(const Value& value, std::ostream& os) {
    rc::show(encode(value), os);
}

namespace {

using test::check_property;

/// Integers across the whole range, with the extremes and the small numbers near zero (where
/// "-0" and leading-zero mistakes live) drawn often.
rc::Gen<std::int64_t> any_integer() {
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    return rc::gen::weightedOneOf<std::int64_t>({
        {4, rc::gen::arbitrary<std::int64_t>()},
        {2, rc::gen::inRange<std::int64_t>(-12, 12)},
        {1, rc::gen::elementOf(
                std::vector<std::int64_t>{kMin, kMin + 1, kMax, kMax - 1, 0, -1, 1, 9, 10, -10})},
    });
}

/// Strings of any bytes, including NUL, ':' and high bytes.
rc::Gen<std::string> any_bytes() {
    return rc::gen::container<std::string>(rc::gen::map(
        rc::gen::arbitrary<std::uint8_t>(), [](std::uint8_t b) { return static_cast<char>(b); }));
}

/// Dictionary keys: any bytes, or a small alphabet so that keys share prefixes (sorting "a"
/// before "ab" before "b") and collide.
rc::Gen<std::string> dict_key() {
    return rc::gen::oneOf(
        any_bytes(), rc::gen::container<std::string>(rc::gen::element('a', 'b', '\0', '\xff')));
}

/// Any value nested at most `depth` levels below this one.
rc::Gen<Value> any_value(int depth) {
    const auto integer = rc::gen::map(any_integer(), [](std::int64_t i) { return Value(i); });
    const auto string =
        rc::gen::map(any_bytes(), [](std::string s) { return Value(std::move(s)); });
    if (depth == 0)
        return rc::gen::oneOf(integer, string);
    return rc::gen::withSize([=](int size) {
        // Containers shrink the size for their elements so that the tree stays small.
        const int inner = std::max(size / 3, 1);
        const auto list =
            rc::gen::map(rc::gen::resize(inner, rc::gen::container<List>(any_value(depth - 1))),
                         [](List l) { return Value(std::move(l)); });
        const auto dict = rc::gen::map(
            rc::gen::resize(inner, rc::gen::container<Dict>(dict_key(), any_value(depth - 1))),
            [](Dict d) { return Value(std::move(d)); });
        return rc::gen::weightedOneOf<Value>({{2, integer}, {2, string}, {1, list}, {1, dict}});
    });
}

/// How deep the decoder must recurse for `value`: leaves and empty containers 0, a non-empty
/// container one more than its deepest element.
int nesting(const Value& value) {
    int deepest = -1;
    if (const auto* list = std::get_if<List>(&value.v)) {
        for (const auto& item : *list)
            deepest = std::max(deepest, nesting(item));
    } else if (const auto* dict = std::get_if<Dict>(&value.v)) {
        for (const auto& [key, item] : *dict)
            deepest = std::max(deepest, nesting(item));
    }
    return deepest + 1;
}

/// Text made of bencode's own tokens (and a few bytes that are not): mostly near misses of valid
/// encodings, which is where a lax decoder would accept something non-canonical.
rc::Gen<std::string> token_soup() {
    const auto token = rc::gen::elementOf(std::vector<std::string>{
        "i",   "e",    "l",   "d",    "-",  "0",  "1",  "2",  "9", ":", "a", "1:a",
        "1:b", "2:ab", "i0e", "i-1e", "le", "de", "00", "-0", " ", "+", "x"});
    return rc::gen::map(rc::gen::container<std::vector<std::string>>(token),
                        [](const std::vector<std::string>& tokens) {
                            std::string text;
                            for (const auto& t : tokens)
                                text += t;
                            return text;
                        });
}

/// A valid encoding with one byte replaced, inserted or removed.
rc::Gen<std::string> mutated_encoding() {
    return rc::gen::mapcat(any_value(3), [](const Value& value) {
        const std::string text = encode(value);
        return rc::gen::map(
            rc::gen::tuple(rc::gen::inRange<std::size_t>(0, text.size() + 1),
                           rc::gen::inRange(0, 3), rc::gen::arbitrary<std::uint8_t>()),
            [text](const std::tuple<std::size_t, int, std::uint8_t>& edit) {
                auto [at, kind, byte] = edit;
                std::string out = text;
                if (kind == 0 && at < out.size())
                    out[at] = static_cast<char>(byte);
                else if (kind == 1)
                    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at),
                               static_cast<char>(byte));
                else if (at < out.size())
                    out.erase(at, 1);
                return out;
            });
    });
}

/// Encodes `value` as encode() does, except that at each integer, string length and dictionary a
/// generated choice may write a form bencode forbids: "-0", a leading zero, keys out of order or
/// a key repeated. Sets `sloppy` if it wrote any.
std::string loose_encode(const Value& value, bool& sloppy) {
    const bool loose = *rc::gen::inRange(0, 6) == 0;
    const auto length = [&](std::size_t n) {
        if (!loose)
            return std::to_string(n);
        sloppy = true;
        return "0" + std::to_string(n);
    };
    if (const auto* i = std::get_if<std::int64_t>(&value.v)) {
        if (!loose)
            return "i" + std::to_string(*i) + "e";
        sloppy = true;
        if (*i == 0)
            return "i-0e";
        return *i < 0 ? "i-0" + std::to_string(*i).substr(1) + "e"
                      : "i0" + std::to_string(*i) + "e";
    }
    if (const auto* s = std::get_if<std::string>(&value.v))
        return length(s->size()) + ":" + *s;
    if (const auto* list = std::get_if<List>(&value.v)) {
        std::string out = "l";
        for (const auto& item : *list)
            out += loose_encode(item, sloppy);
        return out + "e";
    }
    const auto& dict = std::get<Dict>(value.v);
    std::vector<std::string> entries;
    for (const auto& [key, item] : dict)
        entries.push_back(std::to_string(key.size()) + ":" + key + loose_encode(item, sloppy));
    if (loose && !entries.empty()) {
        sloppy = true;
        if (entries.size() >= 2)
            std::swap(entries[0], entries[1]);  // out of order
        else
            entries.push_back(entries[0]);  // the same key twice
    }
    std::string out = "d";
    for (const auto& entry : entries)
        out += entry;
    return out + "e";
}

// 1,000 cases: about 0.2 s.
TEST(BencodeProperties, DecodingAnEncodingGivesBackTheValueAndTheSameBytes) {
    check_property(1000, [] {
        const Value value = *any_value(5);
        const std::string text = encode(value);
        const Value decoded = decode(text);
        RC_ASSERT(decoded == value);
        RC_ASSERT(encode(decoded) == text);
    });
}

// 1,000 cases: about 0.2 s.
TEST(BencodeProperties, TheDepthLimitAcceptsExactlyTheValuesWithinIt) {
    check_property(1000, [] {
        const Value value = *any_value(6);
        const int max_depth = *rc::gen::inRange(0, 7);
        const std::string text = encode(value);
        bool accepted = true;
        try {
            RC_ASSERT(decode(text, max_depth) == value);
        } catch (const InvalidInput&) {
            accepted = false;
        }
        RC_ASSERT(accepted == (nesting(value) <= max_depth));
    });
}

// 1,000 cases: about 0.2 s. Each non-canonical form is refused wherever it appears.
TEST(BencodeProperties, TheDecoderRefusesEveryNonCanonicalForm) {
    check_property(1000, [] {
        const Value value = *any_value(4);
        bool sloppy = false;
        const std::string text = loose_encode(value, sloppy);
        RC_CLASSIFY(sloppy);
        bool accepted = true;
        try {
            RC_ASSERT(decode(text) == value);
        } catch (const InvalidInput&) {
            accepted = false;
        }
        RC_ASSERT(accepted == !sloppy);
    });
}

// 3,000 cases: about 0.1 s. Any text that decodes is canonical, so it re-encodes to exactly
// itself; anything else is an InvalidInput (another exception type would escape and fail).
TEST(BencodeProperties, WhateverDecodesReencodesToTheSameBytes) {
    check_property(3000, [] {
        const std::string text = *rc::gen::oneOf(token_soup(), mutated_encoding(), any_bytes());
        try {
            const Value value = decode(text);
            RC_ASSERT(encode(value) == text);
        } catch (const InvalidInput&) {
            RC_SUCCEED("rejected");
        }
    });
}

}  // namespace
}  // namespace sessionsim::bencode
