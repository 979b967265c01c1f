#include "tests/support/scratch.h"

#include <unistd.h>

#include <string>

namespace sessionsim::test {

std::filesystem::path scratch_path(std::string_view name) {
    return std::filesystem::temp_directory_path() /
           ("sessionsim-" + std::string(name) + "-" + std::to_string(::getpid()));
}

}  // namespace sessionsim::test
