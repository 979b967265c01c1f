#include "tests/support/skips.h"

#include <cstdlib>
#include <sstream>
#include <string>

namespace sessionsim::test {

bool capability_required(std::string_view capability) {
    const char* listed = std::getenv("SESSIONSIM_REQUIRE");
    if (!listed)
        return false;
    std::istringstream in(listed);
    for (std::string item; std::getline(in, item, ',');) {
        if (item == capability)
            return true;
    }
    return false;
}

}  // namespace sessionsim::test
