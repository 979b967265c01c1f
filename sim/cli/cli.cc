#include "sim/cli/cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <ostream>

#include "models/common/errors.h"
#include "models/common/version.h"
#include "sim/cli/command.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::cli {
namespace {

/// CLI11 reports a mistyped command as "A subcommand is required"; name the word instead.
std::string unknown_command(CLI::App& app, const std::vector<std::string>& args) {
    CLI::App* current = &app;
    for (const auto& arg : args) {
        if (arg.empty() || arg[0] == '-')
            return "";
        const auto subs = current->get_subcommands([](CLI::App*) { return true; });
        if (subs.empty())
            return "";
        const auto match = std::find_if(subs.begin(), subs.end(),
                                        [&](CLI::App* s) { return s->get_name() == arg; });
        if (match == subs.end()) {
            std::string names;
            for (const auto* s : subs)
                names += (names.empty() ? "" : ", ") + s->get_name();
            return "unknown command '" + arg + "' (expected one of: " + names + ")";
        }
        current = *match;
    }
    return "";
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{"sessionsim: a simulator and testbed for Session-style onion-routed messaging",
                 "sessionsim"};
    app.set_version_flag("--version", std::string(version()));
    app.require_subcommand(1);
    CommandOutput io{out, err};
    add_run_command(app, io);
    add_proto_commands(app, io);
    add_demo_command(app, io);
    add_python_commands(app, io);
    add_testbed_commands(app, io);
    add_client_command(app, io);

    if (const auto unknown = unknown_command(app, args); !unknown.empty()) {
        err << "error: " << unknown << '\n';
        return kExitBadInput;
    }
    std::vector<const char*> argv{"sessionsim"};
    for (const auto& a : args)
        argv.push_back(a.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        return kExitOk;
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << version() << '\n';
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "error: " << e.what() << " (see --help)\n";
        return kExitBadInput;
    } catch (const InvalidInput& e) {
        err << "error: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const scenario::ScenarioError& e) {
        err << "error: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const CryptoError& e) {
        err << "error: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const std::filesystem::filesystem_error& e) {
        // The machine, not the program: a disk that filled, a folder removed during a run.
        err << "error: " << e.what() << '\n';
        return kExitInternalError;
    } catch (const std::exception& e) {
        err << "internal error: " << e.what() << '\n';
        return kExitInternalError;
    }
}

}  // namespace sessionsim::cli
