// The transport seam: what the apps need of a connection between two simulated hosts, and of
// the transport that makes them. The apps speak only to these interfaces; a transport decides
// what a connection costs -- its handshake round trips, serialization and queueing, congestion
// window, idle expiry and failure. The first implementation is ns-3's TCP/IP over the WAN
// devices (tcp_transport.h), the reference every other one is measured against.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <ns3/ipv4-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/object.h>

#include "sim/apps/frame.h"

namespace sessionsim::apps {

/// A stream of frames between two hosts. Opening one costs the transport's handshake (for TCP,
/// its three-way handshake plus the configured TLS/QUIC-style round trips); frames sent before
/// it completes wait. Both ends report complete frames; either end may close, and the owner
/// learns of it through its close handler.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    using FrameHandler = std::function<void(Connection&, Frame)>;
    using CloseHandler = std::function<void(Connection&)>;

    /// Why a connection closed, for its owner's close handler.
    enum class CloseCause {
        open,              ///< not closed
        closed_here,       ///< this end closed it (close(), abort(), or its own idle expiry)
        closed_by_peer,    ///< the peer closed or reset it
        handshake_failed,  ///< it never opened: refused, or no answer within the transport's
                           ///< connect retries or the handshake timeout
        peer_silent,       ///< something sent stayed unacknowledged for the liveness timeout
    };

    /// QUIC-style liveness (libsession's guard connections: libquic's `keep_alive` and idle
    /// timeout). Zero disables each part.
    struct Liveness {
        /// Send a keep-alive ping once nothing has been sent or received this long (QUIC PING;
        /// the peer's transport acknowledges it and drops it).
        ns3::Time keep_alive;
        /// Fail the connection (peer_silent) once something sent has gone unacknowledged this
        /// long: what the QUIC idle timeout does to a connection whose peer died.
        ns3::Time timeout;
        /// Fail the connection (handshake_failed) if it is not ready this long after opening.
        ns3::Time handshake_timeout;
    };

    virtual ~Connection() = default;

    /// Sends now if ready, else queues until the handshake completes.
    virtual void send(std::string bytes) = 0;
    /// A graceful close; a peer that never finishes it (it died) is given up on after a timeout.
    virtual void close() = 0;
    /// Drops the connection at once, sending nothing the peer could act on: the host crashed.
    virtual void abort() = 0;
    /// Closes the connection once nothing has been sent or received on it for `keep_alive`
    /// (OxenMQ's keep-alive; zero: never). The owner learns of it through its close handler.
    virtual void close_when_idle(ns3::Time keep_alive) = 0;
    /// Starts watching the peer's liveness (see Liveness); a failure closes the connection
    /// with its cause, and the owner learns of it through its close handler.
    virtual void watch_liveness(const Liveness& liveness) = 0;

    virtual bool ready() const = 0;
    virtual bool closed() const = 0;
    virtual CloseCause close_cause() const = 0;
    virtual ns3::Time last_used() const = 0;
    virtual ns3::Ipv4Address peer() const = 0;
    virtual std::uint64_t bytes_sent() const = 0;
};

/// Accepts connections on one port until closed.
class Listener {
public:
    virtual ~Listener() = default;
    /// Stops accepting; connections already accepted stay open.
    virtual void close() = 0;
};

/// Makes connections between hosts. An ns-3 Object, so that a network aggregates the
/// transport it uses to its nodes (`node->AggregateObject(transport)`), as ns-3 aggregates
/// an internet stack; apps find it with transport_of().
class Transport : public ns3::Object {
public:
    static ns3::TypeId GetTypeId();
    using AcceptHandler = std::function<void(std::shared_ptr<Connection>)>;

    /// Opens a connection from `node` to `to:port` with `handshake_round_trips` exchanges on
    /// top of the transport's own before queued frames go out.
    virtual std::shared_ptr<Connection> connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                                std::uint16_t port, int handshake_round_trips,
                                                Connection::FrameHandler on_frame,
                                                Connection::CloseHandler on_close) = 0;
    /// Accepts connections to `port` on `node`: each gets `on_frame` and `on_close` (the
    /// accepting side answers handshakes itself), then is handed to `on_accept`.
    virtual std::unique_ptr<Listener> listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                             Connection::FrameHandler on_frame,
                                             Connection::CloseHandler on_close,
                                             AcceptHandler on_accept) = 0;
};

/// The transport aggregated to `node`; without one, ns-3 TCP (TcpTransport).
Transport& transport_of(ns3::Ptr<ns3::Node> node);

/// What a server app accepted, by address, until each connection closes.
using AcceptedConnections = std::map<Connection*, std::shared_ptr<Connection>>;

/// transport.listen() for a server that keeps its accepted connections in `kept` until they
/// close, and answers their frames with `on_frame`.
inline std::unique_ptr<Listener> listen_keeping(Transport& transport, ns3::Ptr<ns3::Node> node,
                                                std::uint16_t port,
                                                Connection::FrameHandler on_frame,
                                                AcceptedConnections& kept) {
    return transport.listen(
        node, port, std::move(on_frame), [&kept](Connection& c) { kept.erase(&c); },
        [&kept](std::shared_ptr<Connection> c) {
            auto* raw = c.get();
            kept[raw] = std::move(c);
        });
}

/// For an owner's close handler: drops `closed` from `connections` under `key`, unless a newer
/// connection has replaced it there.
template <typename Map>
void forget_connection(Map& connections, const typename Map::key_type& key,
                       const Connection& closed) {
    if (auto it = connections.find(key); it != connections.end() && it->second.get() == &closed)
        connections.erase(it);
}

}  // namespace sessionsim::apps
