// The packet-level transport: ns-3's TCP/IP over the WAN devices. A connection is a real ns-3
// TCP socket; opening one costs the real TCP handshake (ns-3 does it) plus a configurable
// number of extra round trips for the TLS/QUIC-style handshake, exchanged as real packets (a
// ~300-byte message and its echo each); frames sent before that wait.
#pragma once

#include <memory>
#include <string>

#include <ns3/socket.h>

#include "sim/apps/abortable_tcp_socket.h"
#include "sim/apps/stream_connection.h"

namespace sessionsim::apps {

/// How long a closed connection may wait for the peer's FIN/ACK before it is abandoned (Linux:
/// tcp_orphan_retries, 8 back-offs from a 200 ms RTO, about 100 s).
inline constexpr double kOrphanTimeoutS = 100;

class TcpConnection final : public StreamConnection {
public:
    /// Opens a connection from `node` to `to:port` (Transport::connect).
    static std::shared_ptr<TcpConnection> open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                               std::uint16_t port, int handshake_round_trips,
                                               FrameHandler on_frame, CloseHandler on_close);
    /// Wraps an accepted socket (the server side answers handshake messages itself).
    static std::shared_ptr<TcpConnection> accept(ns3::Ptr<ns3::Socket> socket,
                                                 FrameHandler on_frame, CloseHandler on_close);

    ~TcpConnection() override;

private:
    using StreamConnection::StreamConnection;
    void attach(ns3::Ptr<ns3::Socket> socket);
    void on_readable();
    void on_writable();
    void on_closed();
    void on_connect_failed();
    void flush();

    /// Appends to what the socket's send buffer has yet to take, and sends what fits.
    void write(std::string bytes) override;
    /// A FIN; if the peer has not finished the close after kOrphanTimeout, as when the peer has
    /// died, the connection is abandoned as Linux abandons orphaned sockets.
    void close_stream() override;
    void reset_stream() override;
    /// The socket's send buffer holds what the peer has not acknowledged yet, and the ACKs that
    /// free it move the wait on, as Linux's TCP_USER_TIMEOUT judges them.
    bool awaiting_ack() const override;
    ns3::Time ack_wait_since() const override { return ack_wait_since_; }

    ns3::Ptr<ns3::Socket> socket_;
    ns3::Ptr<AbortableTcpSocket> abortable_;  ///< socket_, when it is one (ours always are)
    std::string unsent_;                      ///< bytes the send buffer could not take yet
    ns3::Time ack_wait_since_;  ///< since when unacknowledged bytes have waited without an ACK
    ns3::SequenceNumber32 acked_up_to_;  ///< the peer's ACK point when last looked at
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
