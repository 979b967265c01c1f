// Helpers shared by the `sessionsim proto` subcommands.
#pragma once

#include <string>

#include "models/common/bytes.h"
#include "models/identity/keys.h"
#include "sim/cli/command.h"

namespace sessionsim::cli {

/// Writes the command's single JSON object.
void print_json(CommandOutput& io, const Json& result);

/// An identity from a 16-byte account seed or a 32-byte Ed25519 seed (as `proto identity`).
identity::Identity identity_from_seed_bytes(const Bytes& seed);

/// base64 argument decoded, or InvalidInput naming the option.
Bytes base64_arg(const std::string& text, const char* option);

}  // namespace sessionsim::cli
