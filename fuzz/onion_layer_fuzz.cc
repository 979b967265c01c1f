// What a node reads once a layer is decrypted: the combined payload (ciphertext length, then
// routing JSON) and the routing it names, and a forwarded layer as it arrives from a peer.
// Oracles (abort on violation, see fuzz::require):
//   - combined payload: repacking what unpacked (pack_combined) unpacks to the same inner bytes
//     and the same routing JSON (compared serialized).
//   - routing: the JSON a client would write for a parsed routing (routing_json) parses to the
//     same routing, field for field.
//   - forwarded layer: re-encoding a decoded layer (encode_forwarded) decodes to the same
//     ciphertext, ephemeral key, enc type and hop count.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "models/onion/routing.h"

namespace {

using namespace sessionsim::onion;

bool same_routing(const Routing& a, const Routing& b) {
    if (a.index() != b.index())
        return false;
    if (const auto* x = std::get_if<ToNode>(&a)) {
        const auto& y = std::get<ToNode>(b);
        return x->next == y.next && x->ephemeral_key == y.ephemeral_key &&
               x->enc_type == y.enc_type;
    }
    if (const auto* x = std::get_if<ToDestination>(&a)) {
        const auto& y = std::get<ToDestination>(b);
        return x->json == y.json && x->base64 == y.base64;
    }
    const auto& x = std::get<ToServer>(a);
    const auto& y = std::get<ToServer>(b);
    return x.host == y.host && x.target == y.target && x.port == y.port &&
           x.protocol == y.protocol && x.method == y.method && x.ephemeral_key == y.ephemeral_key &&
           x.enc_type == y.enc_type;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim;
    const auto input = fuzz::bytes_of(data, size);
    if (const auto combined = fuzz::parsed_or_nullopt([&] { return unpack_combined(input); })) {
        const auto again = unpack_combined(pack_combined(combined->inner, combined->routing));
        fuzz::require(
            again.inner == combined->inner && again.routing.dump() == combined->routing.dump(),
            "combined payload: repacking unpacks to the same inner bytes and routing");
        if (const auto routing =
                fuzz::parsed_or_nullopt([&] { return parse_routing(combined->routing); })) {
            fuzz::require(same_routing(parse_routing(routing_json(*routing)), *routing),
                          "routing: the JSON written for a parsed routing parses to the same one");
        }
    }
    const auto forwarded = decode_forwarded(input);
    if (const auto* layer = std::get_if<LayerEnvelope>(&forwarded)) {
        const auto again = decode_forwarded(as_bytes(encode_forwarded(*layer)));
        const auto* relayed = std::get_if<LayerEnvelope>(&again);
        fuzz::require(relayed && relayed->ciphertext == layer->ciphertext &&
                          relayed->ephemeral_key == layer->ephemeral_key &&
                          relayed->enc_type == layer->enc_type && relayed->hop_no == layer->hop_no,
                      "forwarded layer: re-encoding decodes to the same layer");
    }
    return 0;
}
