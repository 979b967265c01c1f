// The packet-level transport: ns-3's TCP/IP over the WAN devices. A connection is a real ns-3
// TCP socket; opening one costs the real TCP handshake (ns-3 does it) plus a configurable
// number of extra round trips for the TLS/QUIC-style handshake, exchanged as real packets (a
// ~300-byte message and its echo each); frames sent before that wait.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <ns3/event-id.h>
#include <ns3/socket.h>

#include "sim/apps/abortable_tcp_socket.h"
#include "sim/apps/connection.h"

namespace sessionsim::apps {

/// How long a closed connection may wait for the peer's FIN/ACK before it is abandoned (Linux:
/// tcp_orphan_retries, 8 back-offs from a 200 ms RTO, about 100 s).
inline constexpr double kOrphanTimeoutS = 100;

class TcpConnection final : public Connection {
public:
    /// Opens a connection from `node` to `to:port` (Transport::connect).
    static std::shared_ptr<TcpConnection> open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                               std::uint16_t port, int handshake_round_trips,
                                               FrameHandler on_frame, CloseHandler on_close);
    /// Wraps an accepted socket (the server side answers handshake messages itself).
    static std::shared_ptr<TcpConnection> accept(ns3::Ptr<ns3::Socket> socket,
                                                 FrameHandler on_frame, CloseHandler on_close);

    void send(std::string bytes) override;
    /// A graceful close (FIN); if the peer has not finished it after kOrphanTimeout, as when
    /// the peer has died, the connection is abandoned as Linux abandons orphaned sockets.
    void close() override;
    void abort() override;
    /// One timer per connection, re-armed lazily: traffic costs nothing, only the expiry check
    /// does.
    void close_when_idle(ns3::Time keep_alive) override;
    /// The unacknowledged-data watch reads the socket's send buffer (what the peer has not
    /// acknowledged yet) and the ACKs that free it, as Linux's TCP_USER_TIMEOUT does.
    void watch_liveness(const Liveness& liveness) override;

    bool ready() const override { return ready_; }
    bool closed() const override { return closed_; }
    CloseCause close_cause() const override { return cause_; }
    ns3::Time last_used() const override { return last_used_; }
    ns3::Ipv4Address peer() const override { return peer_; }
    std::uint64_t bytes_sent() const override { return bytes_sent_; }

    ~TcpConnection() override;

private:
    TcpConnection() = default;
    void attach(ns3::Ptr<ns3::Socket> socket);
    void on_connected();
    void on_readable();
    void on_writable();
    void on_closed();
    void on_connect_failed();
    void next_handshake();
    void flush();
    void check_idle();
    /// Records the close and stops the timers; false if it was closed already.
    bool mark_closed(CloseCause cause);
    /// Drops the connection at once (a reset, no FIN exchange) for `cause`: a crash here
    /// (abort), or a failure this end detected.
    void fail(CloseCause cause);
    /// Whether the socket holds bytes the peer has not acknowledged (or unsent ones).
    bool awaiting_ack() const;
    void check_liveness();
    /// Schedules check_liveness at the earliest deadline that applies at `now`, if any.
    void arm_liveness_check(ns3::Time now);
    /// Arms the liveness check if one is watched and none is pending.
    void ensure_liveness_check();

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
    CloseCause cause_ = CloseCause::open;
    ns3::Time last_used_;
    ns3::Time keep_alive_;  ///< zero: no idle expiry
    ns3::EventId idle_check_;
    Liveness liveness_;
    ns3::Time opened_;
    ns3::Time last_activity_;   ///< last byte sent or received, keep-alive pings included
    ns3::Time ack_wait_since_;  ///< since when unacknowledged bytes have waited without an ACK
    ns3::SequenceNumber32 acked_up_to_;  ///< the peer's ACK point when last looked at
    ns3::EventId liveness_check_;
    std::uint64_t bytes_sent_ = 0;
};

/// ns-3 TCP as a Transport: listeners are TCP sockets bound on the node, connections
/// TcpConnections. Stateless: one instance serves any number of nodes.
class TcpTransport final : public Transport {
public:
    static ns3::TypeId GetTypeId();
    std::shared_ptr<Connection> connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                        std::uint16_t port, int handshake_round_trips,
                                        Connection::FrameHandler on_frame,
                                        Connection::CloseHandler on_close) override;
    std::unique_ptr<Listener> listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                     Connection::FrameHandler on_frame,
                                     Connection::CloseHandler on_close,
                                     AcceptHandler on_accept) override;
};

}  // namespace sessionsim::apps
