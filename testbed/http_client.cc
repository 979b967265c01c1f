#include "testbed/http_client.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
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
using Clock = std::chrono::steady_clock;

struct HttpClient::Backend {
    virtual ~Backend() = default;
    virtual void post(const tcp::endpoint& remote, http::request<http::string_body> request,
                      Clock::time_point deadline,
                      std::function<void(std::optional<HttpReply>)> done,
                      std::function<void(bool)> lost) = 0;
    virtual void close() = 0;
    asio::io_context* io = nullptr;
    HttpClientOptions options;
    std::size_t open = 0, opened = 0;
};

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
struct Pool;

/// One connection, plain or TLS; counted open from construction to destruction.
template <class Stream>
struct Connection {
    Connection(Pool<Stream>& pool, std::weak_ptr<Pool<Stream>> owner);
    ~Connection();
    Stream stream;
    beast::flat_buffer buffer;
    asio::steady_timer idle_timer;
    std::weak_ptr<Pool<Stream>> owner;
};

template <class Stream>
struct Pool : HttpClient::Backend, std::enable_shared_from_this<Pool<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    using Conn = Connection<Stream>;

    void post(const tcp::endpoint& remote, http::request<http::string_body> request,
              Clock::time_point deadline, std::function<void(std::optional<HttpReply>)> done,
              std::function<void(bool)> lost) override;

    void close() override {
        closed = true;
        idle.clear();
    }

    /// An idle connection to `remote`, or null.
    std::shared_ptr<Conn> take(const tcp::endpoint& remote) {
        auto it = idle.find(remote);
        if (it == idle.end() || it->second.empty())
            return nullptr;
        auto c = std::move(it->second.back());
        it->second.pop_back();
        c->idle_timer.cancel();
        return c;
    }

    /// Keeps `c` for the next request to `remote` until it has been idle for the timeout.
    void give_back(const tcp::endpoint& remote, std::shared_ptr<Conn> c) {
        if (closed || options.idle_timeout.count() <= 0)
            return;  // dropping the last reference closes the socket
        c->idle_timer.expires_after(options.idle_timeout);
        std::weak_ptr<Pool> weak_pool = this->shared_from_this();
        std::weak_ptr<Conn> weak_c = c;
        c->idle_timer.async_wait([weak_pool, weak_c, remote](boost::system::error_code ec) {
            auto self = weak_pool.lock();
            auto expired = weak_c.lock();
            if (ec || !self || !expired)
                return;  // taken again (cancelled) or already gone
            std::erase(self->idle[remote], expired);
        });
        idle[remote].push_back(std::move(c));
    }

    std::map<tcp::endpoint, std::vector<std::shared_ptr<Conn>>> idle;
    bool closed = false;
};

template <class Stream>
Connection<Stream>::Connection(Pool<Stream>& pool, std::weak_ptr<Pool<Stream>> o)
    : stream([&]() -> Stream {
          if constexpr (Pool<Stream>::kTls)
              return Stream(*pool.io, *pool.options.tls);
          else
              return Stream(*pool.io);
      }()),
      idle_timer(*pool.io),
      owner(std::move(o)) {
    ++pool.open;
    ++pool.opened;
}

template <class Stream>
Connection<Stream>::~Connection() {
    if (auto pool = owner.lock())
        --pool->open;
}

/// One request: on a reused connection first if there is one, then (if that one turns out to
/// have been closed by the host) once more on a fresh connection.
template <class Stream>
struct Exchange : std::enable_shared_from_this<Exchange<Stream>> {
    std::shared_ptr<Pool<Stream>> pool;
    tcp::endpoint remote;
    Clock::time_point deadline;
    http::request<http::string_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    std::shared_ptr<Connection<Stream>> connection;
    bool reused = false;
    std::function<void(std::optional<HttpReply>)> done;
    std::function<void(bool never_opened)> lost;
    /// When the connection being opened is given up (the handshake timeout, if sooner than
    /// the request's deadline).
    Clock::time_point open_deadline;

    auto& lowest() { return beast::get_lowest_layer(connection->stream); }

    void start() {
        connection = pool->take(remote);
        reused = connection != nullptr;
        if (reused)
            return write();
        connect_new();
    }

    void connect_new() {
        reused = false;
        connection = std::make_shared<Connection<Stream>>(*pool, pool);
        auto& socket = lowest().socket();
        boost::system::error_code ec;
        // Opened here, not by the connect: the options must be set before the SYN (a connection
        // established under the host's congestion control keeps its pacing after a switch).
        socket.open(remote.protocol(), ec);
        if (!ec)
            set_testbed_tcp_options(socket.native_handle());
        if (!ec && pool->options.local_address)
            socket.bind({*pool->options.local_address, 0}, ec);
        if (!ec && pool->options.fast_open)
            enable_fast_open_connect(socket.native_handle());
        if (ec)
            return finish(std::nullopt);
        open_deadline = deadline;
        if (const auto limit = pool->options.handshake_timeout; limit.count() > 0)
            open_deadline = std::min(deadline, Clock::now() + limit);
        lowest().expires_at(open_deadline);
        lowest().async_connect(remote,
                               [self = this->shared_from_this()](beast::error_code connected) {
                                   if (connected)
                                       return self->not_opened(connected);
                                   const int fd = self->lowest().socket().native_handle();
                                   set_liveness(fd, self->pool->options.keep_alive.count(),
                                                self->pool->options.liveness_timeout.count());
                                   self->handshake();
                               });
    }

    /// The connection did not open: refused or unreachable, or past open_deadline. Only the
    /// request's own deadline passing is not the connection's fault.
    void not_opened(beast::error_code ec) {
        connection.reset();
        const bool own_deadline = ec == beast::error::timeout && open_deadline >= deadline;
        if (!own_deadline && lost)
            lost(true);
        finish(std::nullopt);
    }

    void handshake() {
        if constexpr (Pool<Stream>::kTls) {
            connection->stream.async_handshake(
                asio::ssl::stream_base::client,
                [self = this->shared_from_this()](beast::error_code ec) {
                    if (ec)
                        return self->not_opened(ec);
                    self->write();
                });
        } else {
            write();
        }
    }

    void write() {
        parser.emplace();
        parser->body_limit(64 * 1024 * 1024);
        lowest().expires_at(deadline);
        http::async_write(connection->stream, request,
                          [self = this->shared_from_this()](beast::error_code wrote, std::size_t) {
                              if (wrote)
                                  return self->failed(wrote);
                              self->read();
                          });
    }

    void read() {
        http::async_read(connection->stream, connection->buffer, *parser,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
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
        if (ec != beast::error::timeout && lost)
            lost(false);  // reset, or ETIMEDOUT from the liveness options
        finish(std::nullopt);
    }

    void answered() {
        auto& response = parser->get();
        HttpReply reply{static_cast<int>(response.result_int()), std::move(response.body())};
        if (response.keep_alive()) {
            lowest().expires_never();
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

template <class Stream>
void Pool<Stream>::post(const tcp::endpoint& remote, http::request<http::string_body> request,
                        Clock::time_point deadline,
                        std::function<void(std::optional<HttpReply>)> done,
                        std::function<void(bool)> lost) {
    auto exchange = std::make_shared<Exchange<Stream>>();
    exchange->pool = this->shared_from_this();
    exchange->remote = remote;
    exchange->deadline = deadline;
    exchange->request = std::move(request);
    exchange->done = std::move(done);
    exchange->lost = std::move(lost);
    exchange->start();
}

std::shared_ptr<HttpClient::Backend> make_backend(asio::io_context& io, HttpClientOptions options) {
    std::shared_ptr<HttpClient::Backend> backend;
    if (options.tls)
        backend = std::make_shared<Pool<TlsStream>>();
    else
        backend = std::make_shared<Pool<beast::tcp_stream>>();
    backend->io = &io;
    backend->options = std::move(options);
    return backend;
}

}  // namespace

HttpClient::HttpClient(asio::io_context& io, HttpClientOptions options)
    : backend_(make_backend(io, std::move(options))) {}

HttpClient::~HttpClient() {
    backend_->close();
}

void HttpClient::post(const std::string& address, std::uint16_t port, const std::string& target,
                      std::string body, std::chrono::milliseconds timeout,
                      std::function<void(std::optional<HttpReply>)> done,
                      std::function<void(bool)> lost) {
    beast::error_code bad_address;
    const auto ip = asio::ip::make_address(address, bad_address);
    if (bad_address) {
        asio::post(*backend_->io, [done = std::move(done)] { done(std::nullopt); });
        return;
    }
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::host, address);
    request.set(http::field::content_type, "application/octet-stream");
    request.keep_alive(backend_->options.idle_timeout.count() > 0);
    request.body() = std::move(body);
    request.prepare_payload();
    backend_->post({ip, port}, std::move(request), Clock::now() + timeout, std::move(done),
                   std::move(lost));
}

std::size_t HttpClient::open_connections() const {
    return backend_->open;
}

std::size_t HttpClient::connections_opened() const {
    return backend_->opened;
}

void http_post(asio::io_context& io, const std::string& address, std::uint16_t port,
               const std::string& target, std::string body, std::chrono::milliseconds timeout,
               std::function<void(std::optional<HttpReply>)> done,
               std::shared_ptr<asio::ssl::context> tls) {
    auto client = std::make_shared<HttpClient>(
        io, HttpClientOptions{
                .idle_timeout = std::chrono::milliseconds(0), .local_address = {}, .tls = tls});
    client->post(address, port, target, std::move(body), timeout,
                 [client, done = std::move(done)](std::optional<HttpReply> reply) mutable {
                     done(std::move(reply));
                     client.reset();
                 });
}

}  // namespace sessionsim::testbed
