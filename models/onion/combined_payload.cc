#include "models/onion/combined_payload.h"

namespace sessionsim::onion {

Bytes pack_combined(ByteView inner, const nlohmann::json& routing) {
    const std::string text = routing.dump();
    const auto n = static_cast<std::uint32_t>(inner.size());
    const FixedBytes<4> prefix{static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                               static_cast<std::uint8_t>(n >> 16),
                               static_cast<std::uint8_t>(n >> 24)};
    return concat({prefix, inner, as_bytes(text)});
}

CombinedPayload unpack_combined(ByteView data) {
    if (data.size() < 4) {
        throw InvalidInput("Unexpected payload size; expected ciphertext size");
    }
    const std::uint32_t n = std::uint32_t{data[0]} | std::uint32_t{data[1]} << 8 |
                            std::uint32_t{data[2]} << 16 | std::uint32_t{data[3]} << 24;
    const ByteView rest = data.subspan(4);
    if (rest.size() < n) {
        throw InvalidInput("Unexpected payload size " + std::to_string(rest.size()) +
                           ", expected >= " + std::to_string(n));
    }
    CombinedPayload out;
    out.inner.assign(rest.begin(), rest.begin() + n);
    const ByteView json_bytes = rest.subspan(n);
    out.routing = nlohmann::json::parse(json_bytes.begin(), json_bytes.end(), nullptr,
                                        /*allow_exceptions=*/false);
    if (out.routing.is_discarded() || !out.routing.is_object()) {
        throw InvalidInput("onion layer JSON is not a JSON object");
    }
    return out;
}

}  // namespace sessionsim::onion
