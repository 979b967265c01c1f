#include "sim/cli/proto_util.h"

#include <ostream>

#include "models/common/base64.h"
#include "models/common/errors.h"

namespace sessionsim::cli {

void print_json(CommandOutput& io, const Json& result) {
    io.out << result.dump(2) << '\n';
}

identity::Identity identity_from_seed_bytes(const Bytes& seed) {
    if (seed.size() == 16) {
        return identity::Identity::from_account_seed(identity::AccountSeed::from(seed));
    }
    if (seed.size() == 32) {
        return identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(seed));
    }
    throw InvalidInput(
        "an identity seed is 16 bytes (32 hex characters, 13-word phrase) or 32 "
        "bytes (64 hex characters, 25-word phrase); got " +
        std::to_string(seed.size()) + " bytes");
}

Bytes base64_arg(const std::string& text, const char* option) {
    return from_base64(text, option);
}

}  // namespace sessionsim::cli
