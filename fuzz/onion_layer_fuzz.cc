// What a node reads once a layer is decrypted: the combined payload (ciphertext length, then
// routing JSON) and the routing it names, and a forwarded layer as it arrives from a peer.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/onion/routing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    const auto input = fuzz::bytes_of(data, size);
    fuzz::expect_precise_errors([&] {
        const auto combined = onion::unpack_combined(input);
        (void)onion::parse_routing(combined.routing);
    });
    fuzz::expect_precise_errors([&] { (void)onion::decode_forwarded(input); });
    return 0;
}
