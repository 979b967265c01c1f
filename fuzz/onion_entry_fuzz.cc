// A service node given arbitrary bytes on POST /onion_req/v2: the entry parser, the layer
// peeler and the error replies. The node must answer (never throw) and keep serving.
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static sessionsim::fuzz::FuzzNode node;
    static std::uint64_t id = 0;
    (void)node.get().on_onion_request(++id, sessionsim::fuzz::bytes_of(data, size),
                                      sessionsim::fuzz::kNowMs);
    return 0;
}
