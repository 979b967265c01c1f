// The testbed's node-to-node transport: concurrent requests to one peer share one TLS
// connection and are answered in any order, an idle connection closes, and a peer that is not
// there fails the request instead of hanging it.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
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
    PeerClient client(io, unverified_client_context(), 10s);
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
    PeerClient client(io, unverified_client_context(), 100ms);
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

}  // namespace
}  // namespace sessionsim::testbed
