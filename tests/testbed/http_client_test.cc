// The testbed's keep-alive HTTP client: requests to one host share a connection, an idle
// connection is closed after the timeout, a connection the server dropped while it sat idle is
// replaced without the caller seeing an error, and TLS works against a self-signed node.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "testbed/http.h"
#include "testbed/http_client.h"
#include "testbed/tls.h"

namespace sessionsim::testbed {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct EchoServer {
    explicit EchoServer(asio::io_context& io,
                        std::shared_ptr<boost::asio::ssl::context> tls = nullptr)
        : server(
              io, {asio::ip::make_address("127.0.0.1"), 0},
              [this](const std::string&, const std::string&, std::string body, Respond respond) {
                  ++requests;
                  respond({200, "echo " + body});
              },
              1024, std::move(tls)) {}
    int requests = 0;
    HttpServer server;
};

std::optional<HttpReply> post_and_wait(asio::io_context& io, HttpClient& client, std::uint16_t port,
                                       const std::string& body) {
    std::optional<HttpReply> reply;
    bool done = false;
    client.post("127.0.0.1", port, "/x", body, 2s, [&](std::optional<HttpReply> r) {
        reply = std::move(r);
        done = true;
    });
    run_until(
        io, [&] { return done; }, 5s);
    return reply;
}

TEST(HttpClient, RequestsToOneHostShareAConnection) {
    asio::io_context io;
    EchoServer echo(io);
    HttpClient client(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    for (int i = 0; i < 3; ++i) {
        const auto reply = post_and_wait(io, client, echo.server.port(), std::to_string(i));
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->body, "echo " + std::to_string(i));
    }
    EXPECT_EQ(client.connections_opened(), 1u);
    EXPECT_EQ(client.open_connections(), 1u);
}

TEST(HttpClient, AnIdleConnectionClosesAfterTheTimeout) {
    asio::io_context io;
    EchoServer echo(io);
    HttpClient client(io, {.idle_timeout = 100ms, .local_address = {}, .tls = nullptr});
    ASSERT_TRUE(post_and_wait(io, client, echo.server.port(), "a"));
    EXPECT_EQ(client.open_connections(), 1u);
    run_until(
        io, [&] { return client.open_connections() == 0; }, 2s);
    EXPECT_EQ(client.open_connections(), 0u);
    ASSERT_TRUE(post_and_wait(io, client, echo.server.port(), "b"));
    EXPECT_EQ(client.connections_opened(), 2u);
}

/// Answers one request per connection with "keep-alive" and then closes it anyway, as a host
/// does when it drops an idle connection.
struct ForgetfulServer {
    explicit ForgetfulServer(asio::io_context& io)
        : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
        accept();
    }
    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket s) {
            if (ec)
                return;
            ++accepted;
            auto socket = std::make_shared<asio::ip::tcp::socket>(std::move(s));
            auto buffer = std::make_shared<std::string>();
            asio::async_read_until(
                *socket, asio::dynamic_buffer(*buffer), "\r\n\r\n",
                [socket, buffer](boost::system::error_code read, std::size_t) {
                    if (read)
                        return;
                    static const std::string ok =
                        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
                    asio::async_write(*socket, asio::buffer(ok),
                                      [socket](boost::system::error_code, std::size_t) {
                                          boost::system::error_code ignored;
                                          socket->shutdown(asio::socket_base::shutdown_both,
                                                           ignored);
                                          socket->close(ignored);
                                      });
                });
            accept();
        });
    }
    asio::ip::tcp::acceptor acceptor;
    int accepted = 0;
};

TEST(HttpClient, AConnectionTheServerDroppedIsReplacedWithoutAnError) {
    asio::io_context io;
    ForgetfulServer server(io);
    const auto port = server.acceptor.local_endpoint().port();
    HttpClient client(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    ASSERT_TRUE(post_and_wait(io, client, port, "a"));
    run_until(
        io, [] { return false; }, 50ms);  // the server's close arrives
    const auto reply = post_and_wait(io, client, port, "b");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body, "ok");
    EXPECT_EQ(server.accepted, 2);
}

TEST(HttpClient, SpeaksTlsToANodeWithASelfSignedCertificateAndKeepsTheConnection) {
    asio::io_context io;
    EchoServer echo(io, self_signed_server_context("node"));
    HttpClient client(
        io, {.idle_timeout = 10s, .local_address = {}, .tls = unverified_client_context()});
    for (int i = 0; i < 2; ++i) {
        const auto reply = post_and_wait(io, client, echo.server.port(), "tls");
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->body, "echo tls");
    }
    EXPECT_EQ(client.connections_opened(), 1u);
    // Plain HTTP gets no answer from an HTTPS endpoint.
    HttpClient plain(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    EXPECT_FALSE(post_and_wait(io, plain, echo.server.port(), "x"));
    EXPECT_EQ(echo.requests, 2);
}

/// Reads each request and then either drops the connection or never answers.
struct SilentServer {
    SilentServer(asio::io_context& io, bool drop)
        : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}), drop(drop) {
        accept();
    }
    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket s) {
            if (ec)
                return;
            auto socket = std::make_shared<asio::ip::tcp::socket>(std::move(s));
            kept.push_back(socket);
            auto buffer = std::make_shared<std::string>();
            asio::async_read_until(*socket, asio::dynamic_buffer(*buffer), "\r\n\r\n",
                                   [this, socket, buffer](boost::system::error_code, std::size_t) {
                                       if (!drop)
                                           return;  // holds the connection, answers nothing
                                       boost::system::error_code ignored;
                                       socket->close(ignored);
                                   });
            accept();
        });
    }
    asio::ip::tcp::acceptor acceptor;
    bool drop;
    std::vector<std::shared_ptr<asio::ip::tcp::socket>> kept;
};

struct Outcome {
    bool done = false;
    std::optional<HttpReply> reply;
    std::optional<bool> lost_never_opened;  ///< set if `lost` was called
};

Outcome post_watching_loss(asio::io_context& io, HttpClient& client, std::uint16_t port,
                           std::chrono::milliseconds timeout) {
    Outcome out;
    client.post(
        "127.0.0.1", port, "/x", "body", timeout,
        [&](std::optional<HttpReply> r) {
            out.reply = std::move(r);
            out.done = true;
        },
        [&](bool never_opened) {
            EXPECT_FALSE(out.done) << "lost is told before done";
            out.lost_never_opened = never_opened;
        });
    run_until(
        io, [&] { return out.done; }, 5s);
    return out;
}

TEST(HttpClient, ARefusedConnectionIsReportedLostBeforeItOpened) {
    asio::io_context io;
    std::uint16_t port = 0;
    {
        asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        port = probe.local_endpoint().port();
    }  // closed: nothing listens there now
    HttpClient client(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    const auto out = post_watching_loss(io, client, port, 2s);
    ASSERT_TRUE(out.done);
    EXPECT_FALSE(out.reply);
    EXPECT_EQ(out.lost_never_opened, std::optional(true));
}

TEST(HttpClient, AConnectionDroppedUnderARequestIsReportedLost) {
    asio::io_context io;
    SilentServer server(io, true);
    HttpClient client(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    const auto out = post_watching_loss(io, client, server.acceptor.local_endpoint().port(), 2s);
    ASSERT_TRUE(out.done);
    EXPECT_FALSE(out.reply);
    EXPECT_EQ(out.lost_never_opened, std::optional(false));
}

TEST(HttpClient, TheRequestsOwnTimeoutIsNotAConnectionLoss) {
    asio::io_context io;
    SilentServer server(io, false);
    HttpClient client(io, {.idle_timeout = 10s, .local_address = {}, .tls = nullptr});
    const auto out = post_watching_loss(io, client, server.acceptor.local_endpoint().port(), 200ms);
    ASSERT_TRUE(out.done);
    EXPECT_FALSE(out.reply);
    EXPECT_FALSE(out.lost_never_opened);
}

}  // namespace
}  // namespace sessionsim::testbed
