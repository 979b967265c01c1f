// What a service node asks its driver (the ns-3 application, or the testbed's sockets) to do.
// The node never touches a socket or a clock: events go in, these actions come out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"

namespace sessionsim::node {

/// Node-to-node endpoints (OMQ commands in the real storage server).
enum class PeerChannel {
    onion_request,  ///< sn.onion_request: a relayed onion layer (30 s timeout)
    storage_cc,     ///< sn.storage_cc: a recursive client request copied to a swarm peer (5 s)
    data_relay,     ///< sn.data: a batch of messages pushed after a swarm change (no reply)
};

/// Send a request to another node. If `expects_reply`, the driver must later call
/// ServiceNode::on_peer_reply(request_id, …) with the answer, or with nullopt after
/// `timeout_ms` (or if the peer cannot be reached).
struct SendToPeer {
    crypto::Ed25519PublicKey peer{};
    PeerChannel channel = PeerChannel::onion_request;
    std::uint64_t request_id = 0;
    std::string payload;
    bool expects_reply = true;
    std::int64_t timeout_ms = 0;
    std::int64_t delay_ms = 0;  ///< send after this long (a hostile relay holding a layer)
};

/// Answer a request this node received: from a client connection (`from_peer` false) or from a
/// peer's request (`from_peer` true). Status and body exactly as they go on the wire.
struct Reply {
    std::uint64_t request_id = 0;
    bool from_peer = false;
    int status = 200;
    std::string body;
    /// Send nothing: the driver only forgets the request (a hostile node that drops it; the
    /// asker times out).
    bool silent = false;
};

/// HTTP POST to an external server on behalf of an onion request (25 s timeout); the driver
/// answers with on_server_reply.
struct PostToServer {
    std::uint64_t request_id = 0;
    std::string url;
    Bytes body;
    std::int64_t timeout_ms = 25'000;
};

using Action = std::variant<SendToPeer, Reply, PostToServer>;
using Actions = std::vector<Action>;

/// A peer's or server's answer: status and body; nullopt means timeout/unreachable.
struct WireReply {
    int status = 200;
    std::string body;
};

}  // namespace sessionsim::node
