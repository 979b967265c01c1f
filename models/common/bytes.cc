#include "models/common/bytes.h"

#include "models/common/errors.h"

namespace sessionsim {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string to_hex(ByteView data) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (std::uint8_t b : data) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

bool is_hex(std::string_view text) {
    if (text.size() % 2 != 0)
        return false;
    for (char c : text) {
        if (hex_value(c) < 0)
            return false;
    }
    return true;
}

Bytes from_hex(std::string_view text, std::string_view what) {
    if (text.size() % 2 != 0) {
        throw InvalidInput(std::string(what) + " has an odd number of hex characters (" +
                           std::to_string(text.size()) + ")");
    }
    Bytes out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            const std::size_t bad = hi < 0 ? i : i + 1;
            throw InvalidInput(std::string(what) + " is not hex: character '" +
                               std::string(1, text[bad]) + "' at position " + std::to_string(bad));
        }
        out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
    }
    return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
    std::size_t total = 0;
    for (const auto& p : parts)
        total += p.size();
    Bytes out;
    out.reserve(total);
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace sessionsim
