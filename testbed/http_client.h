// An HTTP/1.1 client that keeps connections open between requests, as the real clients' HTTP
// stacks and OxenMQ's node-to-node connections do: a request to a host with an idle connection
// reuses it (no TCP handshake), a connection unused for `idle_timeout` is closed. Without this
// every onion hop would pay a fresh TCP handshake, which the simulator's connections do not.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "testbed/http.h"

namespace sessionsim::testbed {

struct HttpClientOptions {
    /// Close a connection this long after its last reply (0: after every request).
    std::chrono::milliseconds idle_timeout{30'000};
    /// Source address for outgoing connections (a client's own address in the namespace
    /// testbed); unset: the kernel's choice.
    std::optional<boost::asio::ip::address> local_address = std::nullopt;
    /// TLS (testbed/tls.h's client context) as the real nodes' HTTPS; null: plain HTTP.
    std::shared_ptr<boost::asio::ssl::context> tls;
    /// Open connections with TCP Fast Open. From the second connection to a host on, the TLS
    /// ClientHello rides in the SYN, so a new connection costs one round trip before the
    /// request, as a QUIC connection does: the testbed's stand-in for the QUIC of the clients
    /// that speak it (iOS, libsession), where TLS over TCP would cost two.
    bool fast_open = false;
    /// QUIC-style liveness (client.keep_alive_s, liveness_timeout_s, handshake_timeout_s):
    /// keep-alive probes and a user timeout on each connection (set_liveness), and a connection
    /// that has not opened within `handshake_timeout` is given up. Zero: off.
    std::chrono::milliseconds keep_alive{0}, liveness_timeout{0}, handshake_timeout{0};
};

class HttpClient {
public:
    HttpClient(boost::asio::io_context& io, HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// POSTs `body` to http://address:port`target` over an idle connection to that host if there
    /// is one (retrying once on a fresh connection if the host had closed it), else a new one.
    /// `done` gets the reply, or nullopt if the host cannot be reached or does not answer
    /// within `timeout`.
    /// `lost`, if given, is called (before `done`) when the request failed because its
    /// connection did: it never opened (`never_opened`: refused, unreachable, or past the
    /// handshake timeout), or broke (reset, or ETIMEDOUT from the liveness options). Not for
    /// the request's own timeout.
    void post(const std::string& address, std::uint16_t port, const std::string& target,
              std::string body, std::chrono::milliseconds timeout,
              std::function<void(std::optional<HttpReply>)> done,
              std::function<void(bool never_opened)> lost = {});

    /// Connections open now, idle or busy.
    std::size_t open_connections() const;
    /// Connections opened since construction.
    std::size_t connections_opened() const;

    struct Backend;  ///< the connections, plain or TLS

private:
    std::shared_ptr<Backend> backend_;
};

/// One POST on a connection of its own, closed after the reply: for command-line clients and
/// tests that ask one thing. `done` as for HttpClient::post.
void http_post(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
               const std::string& target, std::string body, std::chrono::milliseconds timeout,
               std::function<void(std::optional<HttpReply>)> done,
               std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

}  // namespace sessionsim::testbed
