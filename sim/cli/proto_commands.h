// The `sessionsim proto` subcommand groups, one file each.
#pragma once

#include "sim/cli/command.h"

namespace sessionsim::cli {

void add_identity_commands(CLI::App& proto, CommandOutput& io);  ///< identity, mnemonic
void add_swarm_commands(CLI::App& proto, CommandOutput& io);    ///< swarm-space/-pick, new-swarm-id
void add_onion_commands(CLI::App& proto, CommandOutput& io);    ///< onion build/peel
void add_message_commands(CLI::App& proto, CommandOutput& io);  ///< message-hash, encrypt, decrypt

}  // namespace sessionsim::cli
