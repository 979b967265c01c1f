// What a service node learns from one onion layer it handles -- exactly what the real node has
// in hand after decrypting it, nothing the simulator knows besides. The adversary models
// (sim/observe) record these for the nodes they control.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "models/crypto/ed25519.h"

namespace sessionsim::node {

struct HopView {
    enum class Outcome {
        forwarded,  ///< a relay: the layer names the next node, nothing more
        executed,   ///< the destination: it reads the storage request in clear
        to_server,  ///< the last hop to an external server (file server, SOGS, push)
        rejected,   ///< the layer did not decrypt or parse
    };
    bool from_client = false;  ///< handed over by a client: this node is the guard, sees its IP
    Outcome outcome = Outcome::rejected;
    std::optional<crypto::Ed25519PublicKey> next;  ///< forwarded: the next node
    std::uint64_t forwarded_as = 0;  ///< forwarded: the request's id on our link to the next node
    std::string method;              ///< executed: the storage RPC method
    std::string account;             ///< executed: params.pubkey, if any
    std::optional<std::int64_t> ns;  ///< executed: params.namespace, if any
    std::string server;              ///< to_server: the URL
    std::size_t layer_bytes = 0;     ///< the encrypted layer as received
};

using HopObserver = std::function<void(const HopView&)>;

/// The outcome as the results tables write it: forwarded, executed, to_server, rejected.
constexpr const char* outcome_name(HopView::Outcome outcome) {
    switch (outcome) {
        case HopView::Outcome::forwarded:
            return "forwarded";
        case HopView::Outcome::executed:
            return "executed";
        case HopView::Outcome::to_server:
            return "to_server";
        case HopView::Outcome::rejected:
            return "rejected";
    }
    return "rejected";
}

}  // namespace sessionsim::node
