#include "models/storage/namespaces.h"

namespace sessionsim::storage {

std::string namespace_string(Namespace n) {
    return n == 0 ? std::string() : std::to_string(n);
}

}  // namespace sessionsim::storage
