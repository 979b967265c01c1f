// HTTP/1.1 for the testbed (Boost.Beast on one Asio io_context), over TLS as the real storage
// server's HTTPS or plain: a server that hands each POST to a handler which answers later. The
// client side is testbed/http_client.h.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
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

    /// Listens on `endpoint` (port 0: any free port), speaking TLS with `tls` if given, else
    /// plain HTTP. Throws boost::system::system_error.
    HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
               Handler handler, std::size_t body_limit,
               std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
    ~HttpServer();
    std::uint16_t port() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

/// Runs `io` in short slices until `done` holds or `limit` passes; true if it holds. For
/// command-line clients and tests that wait on their own requests.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit);

}  // namespace sessionsim::testbed
