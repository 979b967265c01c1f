// Scenario files as a user might write (or break) them: TOML syntax, unknown keys, wrong types,
// values out of range. A broken file earns ScenarioError naming the file, key and reason.
#include <unistd.h>

#include <fstream>
#include <string>

#include "fuzz/fuzz_support.h"
#include "sim/scenario/scenario_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path =
        "/tmp/sessionsim-scenario-fuzz-" + std::to_string(::getpid()) + ".toml";
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)sessionsim::scenario::Scenario::load(path);
    } catch (const sessionsim::scenario::ScenarioError&) {
    }
    return 0;
}
