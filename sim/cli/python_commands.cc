// sessionsim sweep | plot | explore: the commands written in Python (python/sessionsim/), started
// with Debian's python3 and the build's package on PYTHONPATH. exec keeps the process (and its
// environment), so `mpirun -n K sessionsim sweep ... --mpi` gives every rank its MPI context.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "models/common/errors.h"
#include "sim/cli/command.h"

namespace sessionsim::cli {
namespace {

[[noreturn]] void exec_python_module(const std::string& module,
                                     const std::vector<std::string>& args, std::ostream& out) {
    std::string path = SESSIONSIM_PYTHON_DIR;
    if (const char* existing = std::getenv("PYTHONPATH"); existing && *existing)
        path += std::string(":") + existing;
    ::setenv("PYTHONPATH", path.c_str(), 1);
    // argv[0] is the full path: Python derives sys.executable from it, and the sweep's worker
    // processes must start this interpreter, not another python3 earlier on PATH.
    std::vector<std::string> words{"/usr/bin/python3", "-m", module};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    out.flush();
    ::execv("/usr/bin/python3", argv.data());
    throw InvalidInput("cannot start /usr/bin/python3 for " + module + ": " + std::strerror(errno) +
                       " (apt-get install python3)");
}

void add_python_command(CLI::App& app, CommandOutput& io, const std::string& name,
                        const std::string& module, const std::string& description) {
    auto* cmd = app.add_subcommand(name, description);
    cmd->set_help_flag();  // --help goes to the Python program, which knows the options
    cmd->prefix_command();
    cmd->callback([&io, cmd, module] { exec_python_module(module, cmd->remaining(), io.out); });
}

}  // namespace

void add_python_commands(CLI::App& app, CommandOutput& io) {
    add_python_command(app, io, "sweep", "sessionsim.sweep",
                       "Run a parameter sweep file: grid x repetitions, --jobs N or --mpi, "
                       "resumable; writes index.csv (sweep --help for the file format)");
    add_python_command(app, io, "plot", "sessionsim.plot",
                       "Figures (PNG, PDF) and an HTML report for results folders");
    add_python_command(app, io, "explore", "sessionsim.explore",
                       "One offline HTML page to explore runs: map, a message's journey, "
                       "timeline, what each party sees, swarms");
}

}  // namespace sessionsim::cli
