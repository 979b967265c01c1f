// Runs the sessionsim command line in-process and captures what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cli/cli.h"

namespace sessionsim::test {

struct CliResult {
    int exit_code;
    std::string out;
    std::string err;
    nlohmann::json json() const { return nlohmann::json::parse(out); }
};

inline CliResult run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = cli::run_cli(args, out, err);
    return {code, out.str(), err.str()};
}

}  // namespace sessionsim::test
