// Plain HTTP/1.1 over TCP for the testbed (Boost.Beast on one Asio io_context): a server that
// hands each POST to a handler which answers later, and a client that POSTs with a deadline.
// The real storage server speaks HTTPS to clients; the testbed uses HTTP on loopback and
// namespaces (docs/testbed.md says what that leaves out).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sessionsim::testbed {

struct HttpReply {
    int status = 0;
    std::string body;
};

/// Answers one request; may be called later (after the node has heard from its peers), once.
using Respond = std::function<void(HttpReply)>;

class HttpServer {
public:
    /// target ("/storage_rpc/v1"), method, body, and how to answer.
    using Handler = std::function<void(const std::string& method, const std::string& target,
                                       std::string body, Respond respond)>;

    /// Listens on `endpoint` (port 0: any free port). Throws boost::system::system_error.
    HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
               Handler handler, std::size_t body_limit);
    ~HttpServer();
    std::uint16_t port() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

/// POSTs `body` to http://address:port`target`; calls `done` with the reply, or with nullopt if
/// the host cannot be reached or does not answer within `timeout`.
void http_post(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
               const std::string& target, std::string body, std::chrono::milliseconds timeout,
               std::function<void(std::optional<HttpReply>)> done);

/// Runs `io` in short slices until `done` holds or `limit` passes; true if it holds. For
/// command-line clients and tests that wait on their own requests.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit);

}  // namespace sessionsim::testbed
