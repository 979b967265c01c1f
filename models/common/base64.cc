#include "models/common/base64.h"

#include <sodium.h>

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
