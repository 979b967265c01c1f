#include "models/crypto/mode.h"

namespace sessionsim::crypto {
namespace {

thread_local CryptoMode current_mode = CryptoMode::real;

}  // namespace

CryptoMode crypto_mode() {
    return current_mode;
}

std::string_view to_string(CryptoMode mode) {
    return mode == CryptoMode::real ? "real" : "modelled";
}

std::optional<CryptoMode> parse_crypto_mode(std::string_view text) {
    if (text == "real")
        return CryptoMode::real;
    if (text == "modelled")
        return CryptoMode::modelled;
    return std::nullopt;
}

CryptoModeScope::CryptoModeScope(CryptoMode mode) : previous_(current_mode) {
    current_mode = mode;
}

CryptoModeScope::~CryptoModeScope() {
    current_mode = previous_;
}

}  // namespace sessionsim::crypto
