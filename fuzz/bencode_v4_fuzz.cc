// Bencode (OxenMQ's and the v4 onion's encoding) and the v4 request a server opens.
// Oracles (abort on violation, see fuzz::require):
//   - bencode: the decoder is strict (no leading zeros, no "-0", sorted unique keys, nothing
//     trailing), so whatever decodes is canonical and re-encodes to exactly the input bytes; and
//     decoding that encoding gives the same value.
//   - v4 request: whatever parses, rebuilt with build_v4_request, parses to the same method,
//     endpoint, headers (compared as serialized JSON) and body.
#include "fuzz/fuzz_support.h"
#include "models/common/bencode.h"
#include "models/onion/response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    const auto text = fuzz::text_of(data, size);
    if (const auto value = fuzz::parsed_or_nullopt([&] { return bencode::decode(text); })) {
        const std::string encoded = bencode::encode(*value);
        fuzz::require(encoded == text, "bencode: a decoded input re-encodes to the same bytes");
        fuzz::require(bencode::decode(encoded) == *value,
                      "bencode: the re-encoding decodes to the same value");
    }
    if (const auto request = fuzz::parsed_or_nullopt(
            [&] { return onion::parse_v4_request(fuzz::bytes_of(data, size)); })) {
        const auto again = onion::parse_v4_request(onion::build_v4_request(
            request->method, request->endpoint, request->headers, request->body));
        fuzz::require(again.method == request->method && again.endpoint == request->endpoint &&
                          again.headers.dump() == request->headers.dump() &&
                          again.body == request->body,
                      "v4 request: rebuilding a parsed request parses to the same request");
    }
    return 0;
}
