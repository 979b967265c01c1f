// Messages between simulated hosts travel over ns-3 TCP connections as length-prefixed frames:
//   [u32 LE length of the rest][u8 kind][u64 LE request id][payload]
// Kinds mirror what the real transports carry: an onion request to a guard (HTTPS
// /onion_req/v2), node-to-node requests on the storage server's OMQ channels, and replies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sessionsim::apps {

enum class FrameKind : std::uint8_t {
    onion_request = 1,       ///< client -> guard
    peer_onion = 2,          ///< node -> node, sn.onion_request
    peer_storage = 3,        ///< node -> node, sn.storage_cc
    peer_data = 4,           ///< node -> node, sn.data (no reply)
    reply = 5,               ///< answer to any request; payload = [u16 LE status][body]
    handshake = 6,           ///< TLS-style handshake filler (a modelled extra round trip)
    direct_rpc = 7,          ///< client -> node, /storage_rpc/v1 without an onion (probes)
    operator_client = 8,     ///< centralized baseline: client <-> its data centre
    operator_backbone = 9,   ///< centralized baseline: data centre -> data centre
    server_request = 10,     ///< exit node -> external server (file server, push server): the
                             ///< onion layer it POSTs to /oxen/v4/lsrpc
    monitor = 11,            ///< push server -> node: monitor.messages (OMQ); replied
    notify = 12,             ///< node -> push server: notify.message (no reply)
    platform_register = 13,  ///< device -> platform push service: its token
    platform_push = 14,      ///< push server -> platform -> device: a notification
    peer_hello = 15,         ///< node -> node, first frame on a dialled connection: the dialler's
                             ///< Ed25519 key (what OxenMQ's CurveZMQ handshake authenticates), so
                             ///< the other node can send its own requests back over it
    keep_alive = 16,         ///< a transport's liveness ping (QUIC PING): acknowledged, dropped
};
inline constexpr std::uint8_t kLastFrameKind = 16;

struct Frame {
    FrameKind kind{};
    std::uint64_t request_id = 0;
    std::string payload;
};

std::string encode_frame(const Frame& frame);
std::string encode_reply(std::uint64_t request_id, int status, const std::string& body);
/// Splits a reply payload into status and body; nullopt if too short.
std::optional<std::pair<int, std::string>> decode_reply(const std::string& payload);

/// Accumulates bytes from a stream and yields complete frames. A frame with an unknown kind or
/// an absurd length marks the stream broken (the connection is then closed, as a real server
/// would on garbage).
class FrameReader {
public:
    explicit FrameReader(std::size_t max_frame = 16 * 1024 * 1024) : max_frame_(max_frame) {}
    void feed(const std::uint8_t* data, std::size_t size);
    /// Room for `size` more bytes at the end of the buffer, for the caller to fill in place
    /// (saves a copy per packet).
    std::uint8_t* append(std::size_t size);
    std::optional<Frame> next();
    bool broken() const { return broken_; }
    /// Heap bytes the reader holds for frames still arriving (its buffer's capacity).
    std::size_t held_bytes() const { return buffer_.capacity(); }

private:
    std::string buffer_;
    std::size_t offset_ = 0;
    std::size_t max_frame_;
    bool broken_ = false;
};

}  // namespace sessionsim::apps
