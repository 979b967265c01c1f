#include "testbed/http.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace sessionsim::testbed {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

/// One accepted connection: reads requests one after another (keep-alive), each answered in
/// order once the handler responds.
class ServerSession : public std::enable_shared_from_this<ServerSession> {
public:
    ServerSession(tcp::socket socket, const HttpServer::Handler& handler, std::size_t body_limit)
        : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit) {}

    void start() { read(); }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(body_limit_);
        stream_.expires_after(std::chrono::minutes(5));  // an idle keep-alive connection
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
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
        std::weak_ptr<ServerSession> weak = shared_from_this();
        auto answered = std::make_shared<bool>(false);
        handler_(std::string(request.method_string()), std::string(request.target()),
                 std::move(request.body()), [weak, keep_alive, answered](HttpReply reply) {
                     if (*answered)
                         return;
                     *answered = true;
                     if (auto self = weak.lock())
                         self->write(std::move(reply), keep_alive);
                 });
        pending_ = shared_from_this();  // alive until the handler answers
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
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(
            stream_, *response,
            [self = shared_from_this(), response, keep_alive](beast::error_code ec, std::size_t) {
                self->pending_.reset();
                if (ec || !keep_alive) {
                    beast::error_code ignored;
                    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                    return;
                }
                self->read();
            });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const HttpServer::Handler& handler_;
    std::size_t body_limit_;
    std::shared_ptr<ServerSession> pending_;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    Impl(asio::io_context& io, const tcp::endpoint& endpoint, Handler h, std::size_t limit)
        : acceptor(io), handler(std::move(h)), body_limit(limit) {
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
    }

    void accept() {
        acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted)
                return;
            if (!ec)
                std::make_shared<ServerSession>(std::move(s), self->handler, self->body_limit)
                    ->start();
            self->accept();
        });
    }

    tcp::acceptor acceptor;
    Handler handler;
    std::size_t body_limit;
};

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, Handler handler,
                       std::size_t body_limit)
    : impl_(std::make_shared<Impl>(io, endpoint, std::move(handler), body_limit)) {
    impl_->accept();
}

HttpServer::~HttpServer() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

std::uint16_t HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

namespace {

/// One POST on its own connection, with one deadline for connect, write and read.
struct ClientCall : std::enable_shared_from_this<ClientCall> {
    ClientCall(asio::io_context& io, std::function<void(std::optional<HttpReply>)> d)
        : stream(io), done(std::move(d)) {}

    void finish(std::optional<HttpReply> reply) {
        if (!done)
            return;
        auto callback = std::move(done);
        done = nullptr;
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        callback(std::move(reply));
    }

    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response_parser<http::string_body> parser;
    std::function<void(std::optional<HttpReply>)> done;
};

}  // namespace

void http_post(asio::io_context& io, const std::string& address, std::uint16_t port,
               const std::string& target, std::string body, std::chrono::milliseconds timeout,
               std::function<void(std::optional<HttpReply>)> done) {
    auto call = std::make_shared<ClientCall>(io, std::move(done));
    beast::error_code bad_address;
    const auto ip = asio::ip::make_address(address, bad_address);
    if (bad_address) {
        asio::post(io, [call] { call->finish(std::nullopt); });
        return;
    }
    call->request = {http::verb::post, target, 11};
    call->request.set(http::field::host, address);
    call->request.set(http::field::content_type, "application/octet-stream");
    call->request.body() = std::move(body);
    call->request.prepare_payload();
    call->parser.body_limit(64 * 1024 * 1024);
    call->stream.expires_after(timeout);
    call->stream.async_connect(tcp::endpoint(ip, port), [call](beast::error_code connected) {
        if (connected)
            return call->finish(std::nullopt);
        http::async_write(
            call->stream, call->request, [call](beast::error_code wrote, std::size_t) {
                if (wrote)
                    return call->finish(std::nullopt);
                http::async_read(call->stream, call->buffer, call->parser,
                                 [call](beast::error_code read, std::size_t) {
                                     if (read)
                                         return call->finish(std::nullopt);
                                     auto& response = call->parser.get();
                                     call->finish(HttpReply{static_cast<int>(response.result_int()),
                                                            std::move(response.body())});
                                 });
            });
    });
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
