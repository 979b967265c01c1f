#include "testbed/http.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <type_traits>

#include "testbed/tcp_options.h"

namespace sessionsim::testbed {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

/// A client that keeps a connection open longer than this is dropped (past the clients' own
/// 10-minute idle timeout, so they close first).
constexpr auto kServerIdleTimeout = std::chrono::minutes(15);

/// One accepted connection: reads requests one after another (keep-alive), each answered in
/// order once the handler responds. `Stream` is a plain TCP stream or TLS over one.
template <class Stream>
class ServerSession : public std::enable_shared_from_this<ServerSession<Stream>> {
public:
    template <class... StreamArgs>
    ServerSession(const HttpServer::Handler& handler, std::size_t body_limit,
                  StreamArgs&&... stream)
        : stream_(std::forward<StreamArgs>(stream)...),
          handler_(handler),
          body_limit_(body_limit) {}

    void start() {
        if constexpr (kTls) {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
            stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (!ec)
                                            self->read();
                                    });
        } else {
            read();
        }
    }

private:
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

    void read() {
        parser_.emplace();
        parser_->body_limit(body_limit_);
        beast::get_lowest_layer(stream_).expires_after(kServerIdleTimeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_read(ec);
                         });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            write({413, "Request body too large"}, false);
            return;
        }
        if (ec)
            return;  // closed, timed out or garbage: drop the connection
        auto request = parser_->release();
        const bool keep_alive = request.keep_alive();
        std::weak_ptr<ServerSession> weak = this->shared_from_this();
        auto answered = std::make_shared<bool>(false);
        handler_(std::string(request.method_string()), std::string(request.target()),
                 std::move(request.body()), [weak, keep_alive, answered](HttpReply reply) {
                     if (*answered)
                         return;
                     *answered = true;
                     if (auto self = weak.lock())
                         self->write(std::move(reply), keep_alive);
                 });
        pending_ = this->shared_from_this();  // alive until the handler answers
    }

    void write(HttpReply reply, bool keep_alive) {
        auto response = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(reply.status), 11);
        response->set(http::field::server, "sessionsim-testbed");
        response->set(http::field::content_type,
                      reply.body.starts_with("{") ? "application/json" : "text/plain");
        response->keep_alive(keep_alive);
        response->body() = std::move(reply.body);
        response->prepare_payload();
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
        http::async_write(stream_, *response,
                          [self = this->shared_from_this(), response, keep_alive](
                              beast::error_code ec, std::size_t) {
                              self->pending_.reset();
                              if (ec || !keep_alive) {
                                  beast::error_code ignored;
                                  beast::get_lowest_layer(self->stream_)
                                      .socket()
                                      .shutdown(tcp::socket::shutdown_send, ignored);
                                  return;
                              }
                              self->read();
                          });
    }

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const HttpServer::Handler& handler_;
    std::size_t body_limit_;
    std::shared_ptr<ServerSession> pending_;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    Impl(asio::io_context& io, const tcp::endpoint& endpoint, Handler h, std::size_t limit,
         std::shared_ptr<asio::ssl::context> t)
        : acceptor(io), handler(std::move(h)), body_limit(limit), tls(std::move(t)) {
        listen_on(acceptor, endpoint);
    }

    void accept() {
        acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted)
                return;
            if (!ec)
                set_testbed_tcp_options(s.native_handle());
            if (!ec && self->tls) {
                std::make_shared<ServerSession<beast::ssl_stream<beast::tcp_stream>>>(
                    self->handler, self->body_limit, std::move(s), *self->tls)
                    ->start();
            } else if (!ec) {
                std::make_shared<ServerSession<beast::tcp_stream>>(self->handler, self->body_limit,
                                                                   std::move(s))
                    ->start();
            }
            self->accept();
        });
    }

    tcp::acceptor acceptor;
    Handler handler;
    std::size_t body_limit;
    std::shared_ptr<asio::ssl::context> tls;
};

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, Handler handler,
                       std::size_t body_limit, std::shared_ptr<asio::ssl::context> tls)
    : impl_(std::make_shared<Impl>(io, endpoint, std::move(handler), body_limit, std::move(tls))) {
    impl_->accept();
}

HttpServer::~HttpServer() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

std::uint16_t HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) {
        io.restart();
        io.run_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace sessionsim::testbed
