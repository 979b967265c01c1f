// The build's version for provenance records: "<release>+<git describe>".
#pragma once

#include <string_view>

namespace sessionsim {

std::string_view version();

}  // namespace sessionsim
