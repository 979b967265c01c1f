#include "models/common/decimal.h"

#include <charconv>

#include "models/common/errors.h"

namespace sessionsim {

std::uint64_t parse_u64(std::string_view text, std::string_view what) {
    if (text.empty())
        throw InvalidInput(std::string(what) + " is empty");
    for (char c : text) {
        if (c < '0' || c > '9') {
            throw InvalidInput(std::string(what) + " '" + std::string(text) +
                               "' is not a non-negative decimal integer");
        }
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        throw InvalidInput(std::string(what) + " '" + std::string(text) +
                           "' is larger than 2^64-1");
    }
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw InvalidInput(std::string(what) + " '" + std::string(text) + "' is not a number");
    }
    return value;
}

std::vector<std::uint64_t> parse_u64_list(std::string_view text, std::string_view what) {
    std::vector<std::uint64_t> out;
    if (text.empty())
        return out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item =
            text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        out.push_back(parse_u64(item, what));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return out;
}

}  // namespace sessionsim
