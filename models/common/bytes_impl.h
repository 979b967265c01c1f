// Template definitions for bytes.h (kept apart so bytes.h reads as an interface).
#pragma once

#include <algorithm>
#include <string>

#include "models/common/errors.h"

namespace sessionsim {

template <std::size_t N>
FixedBytes<N> fixed_from_hex(std::string_view text, std::string_view what) {
    if (text.size() != 2 * N) {
        throw InvalidInput(std::string(what) + " must be " + std::to_string(2 * N) +
                           " hex characters (" + std::to_string(N) + " bytes), got " +
                           std::to_string(text.size()));
    }
    const Bytes decoded = from_hex(text, what);
    FixedBytes<N> out{};
    std::copy(decoded.begin(), decoded.end(), out.begin());
    return out;
}

}  // namespace sessionsim
