// Bencode (OxenMQ's and the v4 onion's encoding) and the v4 request a server opens.
#include "fuzz/fuzz_support.h"
#include "models/common/bencode.h"
#include "models/onion/response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    fuzz::expect_precise_errors([&] {
        const auto value = bencode::decode(fuzz::text_of(data, size));
        (void)bencode::encode(value);
    });
    fuzz::expect_precise_errors([&] { (void)onion::parse_v4_request(fuzz::bytes_of(data, size)); });
    return 0;
}
