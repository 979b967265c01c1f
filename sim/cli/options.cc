#include "sim/cli/options.h"

#include <unistd.h>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "models/common/errors.h"

namespace sessionsim::cli {

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
    const std::string range = std::to_string(min) + " to " + std::to_string(max);
    return CLI::Validator(
        [min, max, range](const std::string& text) -> std::string {
            std::uint64_t value = 0;
            const auto* end = text.data() + text.size();
            const auto [stop, ec] = std::from_chars(text.data(), end, value);
            if (text.empty() || ec != std::errc() || stop != end || value < min || value > max)
                return "'" + text + "' is not a whole number from " + range;
            return "";
        },
        "INT in " + range);
}

void prepare_output_folder(const std::string& dir, std::string_view option) {
    namespace fs = std::filesystem;
    const std::string named = std::string(option) + " " + dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw InvalidInput(named + ": cannot create the folder (" + ec.message() + ")");
    if (!fs::is_directory(dir, ec))
        throw InvalidInput(named + ": not a folder");
    // Permissions alone do not tell (root, read-only mounts, quotas): try a file.
    const fs::path probe = fs::path(dir) / (".sessionsim-write-probe-" + std::to_string(getpid()));
    bool written = false;
    {
        std::ofstream file(probe);
        written = static_cast<bool>(file << "probe\n" << std::flush);
    }
    fs::remove(probe, ec);
    if (!written)
        throw InvalidInput(named + ": cannot write into the folder");
}

}  // namespace sessionsim::cli
