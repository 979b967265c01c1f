#include "models/common/base64.h"

#include <sodium.h>

#include <algorithm>

#include "models/common/errors.h"
#include "models/crypto/sodium.h"

namespace sessionsim {
namespace {

std::string encode(ByteView data, int variant) {
    crypto::ensure_sodium();
    std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
    out.resize(out.size() - 1);  // drop the terminating NUL libsodium writes
    return out;
}

}  // namespace

std::string to_base64(ByteView data) {
    return encode(data, sodium_base64_VARIANT_ORIGINAL);
}

std::string to_base64_nopad(ByteView data) {
    return encode(data, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

Bytes from_base64(std::string_view text, std::string_view what) {
    std::size_t unpadded = text.size();
    while (unpadded > 0 && text[unpadded - 1] == '=')
        --unpadded;
    const std::size_t padding = text.size() - unpadded;
    if (padding > 2 || (padding > 0 && text.size() % 4 != 0)) {
        throw InvalidInput(std::string(what) + " has malformed '=' padding");
    }
    // libsodium 1.0.18 decodes some bytes above 0x7f as if they were alphabet characters (a
    // byte a hostile relay flipped could decode to the original digit and go unnoticed), so the
    // alphabet is checked here first, as oxenc (Session's decoder) checks it.
    const auto outside = std::find_if(text.begin(), text.begin() + unpadded, [](char c) {
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/';
        return !alphabet;
    });
    if (outside != text.begin() + unpadded) {
        throw InvalidInput(std::string(what) + " is not valid base64 (at character " +
                           std::to_string(outside - text.begin()) + ")");
    }
    Bytes out(unpadded * 3 / 4 + 1);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), unpadded, nullptr, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
        end != text.data() + unpadded) {
        const std::size_t at = end ? static_cast<std::size_t>(end - text.data()) : 0;
        throw InvalidInput(std::string(what) + " is not valid base64 (at character " +
                           std::to_string(at) + ")");
    }
    out.resize(len);
    return out;
}

bool is_base64(std::string_view text) {
    try {
        from_base64(text);
        return true;
    } catch (const InvalidInput&) {
        return false;
    }
}

}  // namespace sessionsim
