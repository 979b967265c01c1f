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

/// `sessionsim run`: a scenario on the simulated network.
void add_run_command(CLI::App& app, CommandOutput& io);

/// `sessionsim sweep` and `sessionsim plot`: the Python programs (python/sessionsim/).
void add_python_commands(CLI::App& app, CommandOutput& io);

/// `sessionsim demo`: swarm formation and healing with oxend's rules (no network).
void add_demo_command(CLI::App& app, CommandOutput& io);

/// `sessionsim testbed ...` and `sessionsim node`: the testbed's real processes.
void add_testbed_commands(CLI::App& app, CommandOutput& io);

/// `sessionsim client ...`: a Session client against a testbed.
void add_client_command(CLI::App& app, CommandOutput& io);

}  // namespace sessionsim::cli
