// A service node given arbitrary bodies on POST /storage_rpc/v1: JSON parsing, parameter
// checks, signatures, storage and retrieval. The node must answer (never throw).
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static sessionsim::fuzz::FuzzNode node;
    static std::uint64_t id = 0;
    (void)node.get().on_client_rpc(++id, sessionsim::fuzz::text_of(data, size),
                                   sessionsim::fuzz::kNowMs);
    return 0;
}
