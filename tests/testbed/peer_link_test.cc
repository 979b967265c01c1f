// The testbed's node-to-node transport: concurrent requests to one peer share one TLS
// connection and are answered in any order, an idle connection closes, and a peer that is not
// there fails the request instead of hanging it; a node's peer sends its own requests back
// over the node's connection.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "testbed/peer_link.h"
#include "testbed/tls.h"

namespace sessionsim::testbed {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(PeerLink, ConcurrentRequestsShareOneConnectionAndAreAnsweredInAnyOrder) {
    asio::io_context io;
    std::vector<std::function<void(int, std::string)>> held;
    PeerServer server(io, {asio::ip::make_address("127.0.0.1"), 23151},
                      self_signed_server_context("peer"),
                      [&](std::uint16_t channel, std::string body,
                          std::function<void(int, std::string)> respond) {
                          if (body == "slow")
                              held.push_back(std::move(respond));  // answered later
                          else
                              respond(200, std::to_string(channel) + ":" + body);
                      });
    PeerClient client(io, unverified_client_context(), PeerClientOptions{.idle_timeout = 10s});
    std::vector<std::string> answers;
    for (const std::string body : {"slow", "a", "b"}) {
        client.request("127.0.0.1", 23151, 2, body, 5s, [&](std::optional<HttpReply> r) {
            answers.push_back(r ? r->body : "none");
        });
    }
    run_until(
        io, [&] { return answers.size() == 2; }, 5s);
    ASSERT_EQ(answers, (std::vector<std::string>{"2:a", "2:b"}));
    ASSERT_EQ(held.size(), 1u);
    held[0](200, "late");
    run_until(
        io, [&] { return answers.size() == 3; }, 5s);
    EXPECT_EQ(answers.back(), "late");
    EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(PeerLink, AnIdleConnectionClosesAndAMissingPeerFailsTheRequest) {
    asio::io_context io;
    PeerServer server(io, {asio::ip::make_address("127.0.0.1"), 23153},
                      self_signed_server_context("peer"),
                      [](std::uint16_t, std::string body, auto respond) { respond(200, body); });
    PeerClient client(io, unverified_client_context(), PeerClientOptions{.idle_timeout = 100ms});
    bool done = false;
    client.request("127.0.0.1", 23153, 1, "x", 5s, [&](auto) { done = true; });
    run_until(
        io, [&] { return done; }, 5s);
    EXPECT_EQ(client.open_connections(), 1u);
    run_until(
        io, [&] { return client.open_connections() == 0; }, 2s);
    EXPECT_EQ(client.open_connections(), 0u);

    std::optional<std::optional<HttpReply>> missing;
    client.request("127.0.0.1", 23155, 1, "x", 2s, [&](auto r) { missing = r; });
    run_until(
        io, [&] { return missing.has_value(); }, 5s);
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->has_value());
}

/// A node of the test: its server and its client, wired as NodeDaemon wires them.
struct TestNode {
    TestNode(asio::io_context& io, const std::string& node_name, const std::string& address,
             std::uint16_t port, bool announce)
        : server(io, {asio::ip::make_address(address), port}, self_signed_server_context(node_name),
                 [this](std::uint16_t, std::string body, auto respond) { serve(body, respond); }),
          client(io, unverified_client_context(), options(address)) {
        if (announce)
            client.announce_as({asio::ip::make_address(address), port});
        client.serve(
            [this](std::uint16_t, std::string body, auto respond) { serve(body, respond); });
        server.share_inbound_with(client);
        name = node_name;
    }
    static PeerClientOptions options(const std::string& address) {
        PeerClientOptions o;
        o.idle_timeout = 10s;
        o.local_address = asio::ip::make_address(address);
        return o;
    }
    void serve(const std::string& body, const std::function<void(int, std::string)>& respond) {
        ++served;
        respond(200, name + ":" + body);
    }
    PeerServer server;
    PeerClient client;
    std::string name;
    int served = 0;
};

TEST(PeerLink, ANodeSendsBackOverItsPeersConnectionInsteadOfDiallingAsOxenMqDoes) {
    asio::io_context io;
    TestNode a(io, "a", "127.0.0.3", 23161, /*announce=*/true);
    TestNode b(io, "b", "127.0.0.4", 23163, /*announce=*/true);
    std::vector<std::string> answers;
    const auto ask = [&](TestNode& from, const std::string& to, std::uint16_t port) {
        from.client.request(to, port, 2, "x", 5s, [&](std::optional<HttpReply> r) {
            answers.push_back(r ? r->body : "none");
        });
        const auto want = answers.size() + 1;
        run_until(
            io, [&] { return answers.size() == want; }, 5s);
    };
    ask(a, "127.0.0.4", 23163);
    ask(b, "127.0.0.3", 23161);  // over a's connection: no dial
    ask(a, "127.0.0.4", 23163);
    EXPECT_EQ(answers, (std::vector<std::string>{"b:x", "a:x", "b:x"}));
    EXPECT_EQ(a.client.connections_opened(), 1u);
    EXPECT_EQ(b.client.connections_opened(), 0u) << "b answered over a's connection";
    EXPECT_EQ(b.client.open_connections(), 1u) << "a's connection is b's link to a";

    // A dialler that does not announce itself (a client) is never sent requests: b dials.
    TestNode quiet(io, "q", "127.0.0.5", 23165, /*announce=*/false);
    ask(quiet, "127.0.0.4", 23163);
    ask(b, "127.0.0.5", 23165);
    EXPECT_EQ(answers.back(), "q:x");
    EXPECT_EQ(b.client.connections_opened(), 1u);
}

/// Accepts one TLS connection, reads a little and then drops it: a node that went away under
/// a request.
struct DroppingServer {
    explicit DroppingServer(asio::io_context& io, std::uint16_t port)
        : acceptor(io, {asio::ip::make_address("127.0.0.1"), port}),
          tls(self_signed_server_context("peer")) {
        acceptor.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket s) {
            if (ec)
                return;
            boost::system::error_code peer_ec;
            from = s.remote_endpoint(peer_ec).address().to_string();
            stream = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(std::move(s), *tls);
            stream->async_handshake(asio::ssl::stream_base::server, [this](auto hs) {
                if (hs)
                    return;
                stream->async_read_some(asio::buffer(buffer), [this](auto, std::size_t) {
                    read_something = true;
                    boost::system::error_code ignored;
                    stream->lowest_layer().close(ignored);
                });
            });
        });
    }
    asio::ip::tcp::acceptor acceptor;
    std::shared_ptr<asio::ssl::context> tls;
    std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> stream;
    std::array<char, 64> buffer{};
    bool read_something = false;
    std::string from;  ///< the client's address
};

TEST(PeerLink, AClientIsToldWhetherALostConnectionHadOpenedAndDialsFromItsOwnAddress) {
    asio::io_context io;
    DroppingServer server(io, 23157);
    PeerClient client(io, unverified_client_context(),
                      PeerClientOptions{.idle_timeout = 10s,
                                        .local_address = asio::ip::make_address("127.0.0.2"),
                                        .fast_open = true,
                                        .keep_alive = 10s,
                                        .liveness_timeout = 30s,
                                        .handshake_timeout = 3s});
    struct Seen {
        bool done = false;
        std::optional<bool> lost;
    };
    const auto request = [&](std::uint16_t port, Seen& seen) {
        client.request(
            "127.0.0.1", port, kClientRpcChannel, "x", 5s,
            [&seen](auto r) { seen.done = !r.has_value(); },
            [&seen](bool never_opened) { seen.lost = never_opened; });
        run_until(
            io, [&] { return seen.done; }, 5s);
    };
    Seen refused;  // nothing listens on 23159
    request(23159, refused);
    EXPECT_TRUE(refused.done);
    EXPECT_EQ(refused.lost, std::optional(true)) << "lost before it opened";
    Seen dropped;
    request(23157, dropped);
    EXPECT_TRUE(server.read_something);
    EXPECT_EQ(server.from, "127.0.0.2");
    EXPECT_TRUE(dropped.done);
    EXPECT_EQ(dropped.lost, std::optional(false)) << "lost after it opened";
}

}  // namespace
}  // namespace sessionsim::testbed
