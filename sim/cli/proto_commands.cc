// sessionsim proto ...: inspect what the protocol does with given inputs. Each subcommand prints
// exactly one JSON object; bad input raises InvalidInput, which run_cli turns into exit 2.
#include <CLI/CLI.hpp>

#include "sim/cli/command.h"
#include "sim/cli/proto_commands.h"

namespace sessionsim::cli {

void add_proto_commands(CLI::App& app, CommandOutput& io) {
    auto* proto = app.add_subcommand(
        "proto", "Protocol toolbox: each subcommand prints one JSON object (exit 2 on bad input)");
    proto->require_subcommand(1);
    add_identity_commands(*proto, io);
    add_swarm_commands(*proto, io);
    add_onion_commands(*proto, io);
    add_message_commands(*proto, io);
}

}  // namespace sessionsim::cli
