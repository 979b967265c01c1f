// The TCP behaviour every testbed socket gets, whatever the host is set to, so that the
// testbed's connections behave as the simulator's (ns-3's TCP: no Nagle, a loss-based
// congestion control, no pacing) and as the real network's Linux defaults (CUBIC).
//
// The host's default congestion control may not be either: this machine's is BBR, which paces
// every segment at its estimate of the path's bandwidth, as neither ns-3 nor a default Linux
// server does. Until 2026-12-04 the testbed switched its sockets to CUBIC only once they were
// connected or accepted, and every one of them stayed paced: a reply of more than 5 segments
// left each hop in two bursts an eighth to a quarter of a round trip apart (iOS's onion requests
// with such replies took 14-16% longer than in the simulator).
#pragma once

#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace sessionsim::testbed {

/// The congestion control the testbed asks for: CUBIC (Linux's default, ns-3's since 3.36) if
/// the kernel lets this process choose it, else Reno (always allowed; for the
/// testbed's small, loss-free exchanges it sends exactly as CUBIC does). Empty if the kernel
/// takes neither, and the host's default stays.
const std::string& testbed_congestion_control();

/// TCP_NODELAY (no Nagle, as ns-3's TcpNoDelay default and ZeroMQ) and the congestion control
/// above, on a socket (its native handle) before it connects. The kernel keeps the pacing that a
/// connection's first congestion control asked for, so a socket established under BBR stays
/// paced after a switch to CUBIC: a dialling socket takes these options before its SYN, and
/// listen_on gives the listener the congestion control, which its accepted connections inherit.
/// Errors are ignored: a socket that cannot take an option still works, only less like the
/// simulator's.
void set_testbed_tcp_options(int socket);

/// TCP Fast Open on a listening socket: it takes data in a SYN. Needs the namespace's
/// net.ipv4.tcp_fastopen server bits (testbed/netns.cc sets them, with no cookie required).
void enable_fast_open_listen(int socket);
/// TCP Fast Open on a client socket, before its connect(): the SYN waits for the first write
/// and carries it (on the first connection too: the namespace's client bits need no cookie).
void enable_fast_open_connect(int socket);

/// Opens `acceptor` on `endpoint` as every testbed server does: the address reusable (a
/// restarted node takes its port back at once), the testbed's congestion control (so that no
/// accepted connection starts under the host's), Fast Open on, listening.
void listen_on(boost::asio::ip::tcp::acceptor& acceptor,
               const boost::asio::ip::tcp::endpoint& endpoint);

/// QUIC-style liveness with the kernel's TCP (the testbed's stand-in for libquic's keep-alive
/// and idle timeout): keep-alive probes after `keep_alive_ms` of silence and every
/// `keep_alive_ms` after, and TCP_USER_TIMEOUT = `timeout_ms`, so that data (or probes) left
/// unacknowledged that long fails the connection with ETIMEDOUT. Zero leaves each part off.
void set_liveness(int socket, long keep_alive_ms, long timeout_ms);

}  // namespace sessionsim::testbed
