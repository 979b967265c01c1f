#include "models/common/bencode.h"

#include <charconv>

namespace sessionsim::bencode {
namespace {

[[noreturn]] void fail(std::size_t pos, const std::string& why) {
    throw InvalidInput("bencode: " + why + " at byte " + std::to_string(pos));
}

class Decoder {
public:
    Decoder(std::string_view data, int max_depth) : data_(data), max_depth_(max_depth) {}

    Value document() {
        Value v = value(0);
        if (pos_ != data_.size())
            fail(pos_, "trailing data after the value");
        return v;
    }

private:
    char peek() const {
        if (pos_ >= data_.size())
            fail(pos_, "unexpected end of data");
        return data_[pos_];
    }

    /// Digits up to `terminator`; optional leading '-' when `allow_negative`.
    std::int64_t number(char terminator, bool allow_negative) {
        const std::size_t start = pos_;
        const std::size_t end = data_.find(terminator, pos_);
        if (end == std::string_view::npos)
            fail(start, "unterminated number");
        const std::string_view digits = data_.substr(start, end - start);
        const bool negative = !digits.empty() && digits[0] == '-';
        const std::string_view magnitude = negative ? digits.substr(1) : digits;
        if (magnitude.empty() || (negative && !allow_negative) ||
            (magnitude.size() > 1 && magnitude[0] == '0') || (negative && magnitude == "0")) {
            fail(start, "malformed number");
        }
        std::int64_t value = 0;
        const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || p != digits.data() + digits.size())
            fail(start, "malformed number");
        pos_ = end + 1;
        return value;
    }

    std::string string() {
        const std::size_t start = pos_;
        const std::int64_t len = number(':', false);
        if (static_cast<std::uint64_t>(len) > data_.size() - pos_) {
            fail(start, "string length " + std::to_string(len) + " runs past the end");
        }
        std::string s(data_.substr(pos_, static_cast<std::size_t>(len)));
        pos_ += static_cast<std::size_t>(len);
        return s;
    }

    Value value(int depth) {
        if (depth > max_depth_)
            fail(pos_, "nesting deeper than " + std::to_string(max_depth_));
        const char c = peek();
        if (c == 'i') {
            ++pos_;
            return number('e', true);
        }
        if (c >= '0' && c <= '9')
            return string();
        if (c == 'l') {
            ++pos_;
            List list;
            while (peek() != 'e')
                list.push_back(value(depth + 1));
            ++pos_;
            return list;
        }
        if (c == 'd') {
            ++pos_;
            Dict dict;
            const std::string* previous = nullptr;
            while (peek() != 'e') {
                const std::size_t key_pos = pos_;
                if (peek() < '0' || peek() > '9')
                    fail(key_pos, "dictionary key is not a string");
                std::string key = string();
                if (previous && !(*previous < key))
                    fail(key_pos, "dictionary keys not sorted");
                auto [it, inserted] = dict.emplace(std::move(key), value(depth + 1));
                previous = &it->first;
            }
            ++pos_;
            return dict;
        }
        fail(pos_, std::string("unexpected character '") + c + "'");
    }

    std::string_view data_;
    int max_depth_;
    std::size_t pos_ = 0;
};

void encode_into(const Value& value, std::string& out) {
    std::visit(
        [&out](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                out += 'i' + std::to_string(x) + 'e';
            } else if constexpr (std::is_same_v<T, std::string>) {
                out += std::to_string(x.size()) + ':' + x;
            } else if constexpr (std::is_same_v<T, List>) {
                out += 'l';
                for (const auto& item : x)
                    encode_into(item, out);
                out += 'e';
            } else {
                out += 'd';
                for (const auto& [k, item] : x) {
                    out += std::to_string(k.size()) + ':' + k;
                    encode_into(item, out);
                }
                out += 'e';
            }
        },
        value.v);
}

}  // namespace

std::int64_t Value::as_int() const {
    if (!is_int())
        throw InvalidInput("bencode: expected an integer");
    return std::get<std::int64_t>(v);
}
const std::string& Value::as_string() const {
    if (!is_string())
        throw InvalidInput("bencode: expected a string");
    return std::get<std::string>(v);
}
const List& Value::as_list() const {
    if (!is_list())
        throw InvalidInput("bencode: expected a list");
    return std::get<List>(v);
}
const Dict& Value::as_dict() const {
    if (!is_dict())
        throw InvalidInput("bencode: expected a dictionary");
    return std::get<Dict>(v);
}

std::string encode(const Value& value) {
    std::string out;
    encode_into(value, out);
    return out;
}

Value decode(std::string_view data, int max_depth) {
    return Decoder(data, max_depth).document();
}

const Value& at(const Dict& dict, const std::string& key) {
    const auto it = dict.find(key);
    if (it == dict.end())
        throw InvalidInput("bencode: missing key '" + key + "'");
    return it->second;
}

}  // namespace sessionsim::bencode
