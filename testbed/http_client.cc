#include "testbed/http_client.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace sessionsim::testbed {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Connection {
    Connection(asio::io_context& io, std::weak_ptr<HttpClient::Pool> p);
    ~Connection();
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    asio::steady_timer idle_timer;
    std::weak_ptr<HttpClient::Pool> pool;
};

}  // namespace

struct HttpClient::Pool : std::enable_shared_from_this<HttpClient::Pool> {
    Pool(asio::io_context& i, HttpClientOptions o) : io(i), options(std::move(o)) {}

    /// An idle connection to `remote`, or null.
    std::shared_ptr<Connection> take(const tcp::endpoint& remote) {
        auto it = idle.find(remote);
        if (it == idle.end() || it->second.empty())
            return nullptr;
        auto c = std::move(it->second.back());
        it->second.pop_back();
        c->idle_timer.cancel();
        return c;
    }

    /// Keeps `c` for the next request to `remote` until it has been idle for the timeout.
    void give_back(const tcp::endpoint& remote, std::shared_ptr<Connection> c) {
        if (closed || options.idle_timeout.count() <= 0)
            return;  // dropping the last reference closes the socket
        c->idle_timer.expires_after(options.idle_timeout);
        std::weak_ptr<Pool> weak_pool = shared_from_this();
        std::weak_ptr<Connection> weak_c = c;
        c->idle_timer.async_wait([weak_pool, weak_c, remote](boost::system::error_code ec) {
            auto self = weak_pool.lock();
            auto expired = weak_c.lock();
            if (ec || !self || !expired)
                return;  // taken again (cancelled) or already gone
            auto& list = self->idle[remote];
            std::erase(list, expired);
        });
        idle[remote].push_back(std::move(c));
    }

    asio::io_context& io;
    HttpClientOptions options;
    std::map<tcp::endpoint, std::vector<std::shared_ptr<Connection>>> idle;
    std::size_t open = 0, opened = 0;
    bool closed = false;
};

namespace {

Connection::Connection(asio::io_context& io, std::weak_ptr<HttpClient::Pool> p)
    : stream(io), idle_timer(io), pool(std::move(p)) {
    if (auto owner = pool.lock()) {
        ++owner->open;
        ++owner->opened;
    }
}

Connection::~Connection() {
    if (auto owner = pool.lock())
        --owner->open;
}

/// One request: on a reused connection first if there is one, then (if that one turns out to
/// have been closed by the host) once more on a fresh connection.
struct Exchange : std::enable_shared_from_this<Exchange> {
    std::shared_ptr<HttpClient::Pool> pool;
    tcp::endpoint remote;
    Clock::time_point deadline;
    http::request<http::string_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    std::shared_ptr<Connection> connection;
    bool reused = false;
    std::function<void(std::optional<HttpReply>)> done;

    void start() {
        connection = pool->take(remote);
        reused = connection != nullptr;
        if (reused)
            return write();
        connect_new();
    }

    void connect_new() {
        reused = false;
        connection = std::make_shared<Connection>(pool->io, pool);
        auto& socket = connection->stream.socket();
        boost::system::error_code ec;
        if (pool->options.local_address) {
            socket.open(remote.protocol(), ec);
            if (!ec)
                socket.bind({*pool->options.local_address, 0}, ec);
        }
        if (ec)
            return finish(std::nullopt);
        connection->stream.expires_at(deadline);
        connection->stream.async_connect(remote,
                                         [self = shared_from_this()](beast::error_code connected) {
                                             if (connected)
                                                 return self->finish(std::nullopt);
                                             self->write();
                                         });
    }

    void write() {
        parser.emplace();
        parser->body_limit(64 * 1024 * 1024);
        connection->stream.expires_at(deadline);
        http::async_write(connection->stream, request,
                          [self = shared_from_this()](beast::error_code wrote, std::size_t) {
                              if (wrote)
                                  return self->failed(wrote);
                              self->read();
                          });
    }

    void read() {
        http::async_read(connection->stream, connection->buffer, *parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec)
                                 return self->failed(ec);
                             self->answered();
                         });
    }

    void failed(beast::error_code ec) {
        // A kept connection the host closed while it sat idle fails at once, before any byte
        // of a response: that is not the host's answer, so try again on a new connection.
        const bool stale = reused && ec != beast::error::timeout && !parser->got_some();
        connection.reset();
        if (stale && Clock::now() < deadline) {
            pool->idle.erase(remote);  // the host most likely closed the others as well
            return connect_new();
        }
        finish(std::nullopt);
    }

    void answered() {
        auto& response = parser->get();
        HttpReply reply{static_cast<int>(response.result_int()), std::move(response.body())};
        if (response.keep_alive()) {
            connection->stream.expires_never();
            pool->give_back(remote, std::move(connection));
        }
        connection.reset();
        finish(std::move(reply));
    }

    void finish(std::optional<HttpReply> reply) {
        if (!done)
            return;
        auto callback = std::move(done);
        done = nullptr;
        callback(std::move(reply));
    }
};

}  // namespace

HttpClient::HttpClient(asio::io_context& io, HttpClientOptions options)
    : pool_(std::make_shared<Pool>(io, std::move(options))) {}

HttpClient::~HttpClient() {
    pool_->closed = true;
    pool_->idle.clear();
}

void HttpClient::post(const std::string& address, std::uint16_t port, const std::string& target,
                      std::string body, std::chrono::milliseconds timeout,
                      std::function<void(std::optional<HttpReply>)> done) {
    auto exchange = std::make_shared<Exchange>();
    exchange->pool = pool_;
    exchange->done = std::move(done);
    beast::error_code bad_address;
    const auto ip = asio::ip::make_address(address, bad_address);
    if (bad_address) {
        asio::post(pool_->io, [exchange] { exchange->finish(std::nullopt); });
        return;
    }
    exchange->remote = {ip, port};
    exchange->deadline = Clock::now() + timeout;
    exchange->request = {http::verb::post, target, 11};
    exchange->request.set(http::field::host, address);
    exchange->request.set(http::field::content_type, "application/octet-stream");
    exchange->request.keep_alive(pool_->options.idle_timeout.count() > 0);
    exchange->request.body() = std::move(body);
    exchange->request.prepare_payload();
    exchange->start();
}

std::size_t HttpClient::open_connections() const {
    return pool_->open;
}

std::size_t HttpClient::connections_opened() const {
    return pool_->opened;
}

}  // namespace sessionsim::testbed
