// What each sessionsim subcommand gets: where to write its result.
#pragma once

#include <iosfwd>

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace sessionsim::cli {

/// JSON objects keep the key order the command writes them in, as a reader expects.
using Json = nlohmann::ordered_json;

struct CommandOutput {
    std::ostream& out;
    std::ostream& err;
};

/// `sessionsim proto ...`: the protocol toolbox. Each prints exactly one JSON object.
void add_proto_commands(CLI::App& app, CommandOutput& io);

/// `sessionsim demo`: the default job until the simulator runs scenarios.
void add_demo_command(CLI::App& app, CommandOutput& io);

}  // namespace sessionsim::cli
