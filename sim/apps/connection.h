// A persistent TCP connection between simulated hosts carrying frames. Opening one costs the
// real TCP handshake (ns-3 does it) plus a configurable number of extra round trips for the
// TLS/QUIC-style handshake, exchanged as real packets; frames sent before that wait. Both ends
// report complete frames; either end may close, and the owner learns of it.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/socket.h>

#include "sim/apps/abortable_tcp_socket.h"
#include "sim/apps/frame.h"

namespace sessionsim::apps {

/// How long a closed connection may wait for the peer's FIN/ACK before it is abandoned (Linux:
/// tcp_orphan_retries, 8 back-offs from a 200 ms RTO, about 100 s).
inline constexpr double kOrphanTimeoutS = 100;

class Connection : public std::enable_shared_from_this<Connection> {
public:
    using FrameHandler = std::function<void(Connection&, Frame)>;
    using CloseHandler = std::function<void(Connection&)>;

    /// Opens a connection from `node` to `to:port`; `handshake_round_trips` extra exchanges
    /// (each a ~300-byte message and its echo) happen before queued frames go out.
    static std::shared_ptr<Connection> open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                            std::uint16_t port, int handshake_round_trips,
                                            FrameHandler on_frame, CloseHandler on_close);
    /// Wraps an accepted socket (the server side answers handshake messages itself).
    static std::shared_ptr<Connection> accept(ns3::Ptr<ns3::Socket> socket, FrameHandler on_frame,
                                              CloseHandler on_close);

    /// Sends now if ready, else queues until the handshake completes.
    void send(std::string bytes);
    /// A graceful close (FIN); if the peer has not finished it after kOrphanTimeout, as when
    /// the peer has died, the connection is abandoned as Linux abandons orphaned sockets.
    void close();
    /// Drops the connection at once, sending nothing the peer could act on: the host crashed.
    void abort();
    /// Closes the connection once nothing has been sent or received on it for `keep_alive`
    /// (OxenMQ's keep-alive: the owner learns of it through its close handler). One timer per
    /// connection, re-armed lazily: traffic costs nothing, only the expiry check does.
    void close_when_idle(ns3::Time keep_alive);

    bool ready() const { return ready_; }
    bool closed() const { return closed_; }
    ns3::Time last_used() const { return last_used_; }
    ns3::Ipv4Address peer() const { return peer_; }
    std::uint64_t bytes_sent() const { return bytes_sent_; }

    ~Connection();

private:
    Connection() = default;
    void attach(ns3::Ptr<ns3::Socket> socket);
    void on_connected();
    void on_readable();
    void on_writable();
    void on_closed();
    void next_handshake();
    void flush();
    void check_idle();

    ns3::Ptr<ns3::Socket> socket_;
    ns3::Ptr<AbortableTcpSocket> abortable_;  ///< socket_, when it is one (ours always are)
    ns3::Ipv4Address peer_;
    FrameHandler on_frame_;
    CloseHandler on_close_;
    FrameReader reader_;
    std::deque<std::string> queued_;  ///< frames waiting for the handshake
    std::string unsent_;              ///< bytes the socket's send buffer could not take yet
    int handshakes_left_ = 0;
    bool server_side_ = false;
    bool ready_ = false;
    bool closed_ = false;
    ns3::Time last_used_;
    ns3::Time keep_alive_;  ///< zero: no idle expiry
    ns3::EventId idle_check_;
    std::uint64_t bytes_sent_ = 0;
};

/// For an owner's close handler: drops `closed` from `connections` under `key`, unless a newer
/// connection has replaced it there.
template <typename Map>
void forget_connection(Map& connections, const typename Map::key_type& key,
                       const Connection& closed) {
    if (auto it = connections.find(key); it != connections.end() && it->second.get() == &closed)
        connections.erase(it);
}

}  // namespace sessionsim::apps
