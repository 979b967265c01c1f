// The peer link's wire: frames (u32 length | u8 kind | u64 id | u16 channel or status | body)
// and one TLS connection carrying them both ways. Its own header because both ends of
// peer_link.cc (the dialling client and the accepting server) hold these connections.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "testbed/peer_link.h"

namespace sessionsim::testbed::peer_link_detail {

constexpr std::uint8_t kRequest = 0, kReply = 1, kHello = 2;
constexpr std::size_t kFrameHead = 1 + 8 + 2;  // kind, id, channel or status

struct Frame {
    std::uint8_t kind = 0;
    std::uint64_t id = 0;
    std::uint16_t code = 0;
    std::string body;
};

std::string encode(std::uint8_t kind, std::uint64_t id, std::uint16_t code,
                   const std::string& body);

/// A node's hello: its listening endpoint as "address port".
std::string hello_frame(const boost::asio::ip::tcp::endpoint& self);
std::optional<boost::asio::ip::tcp::endpoint> parse_hello(const std::string& body);

/// One TLS connection carrying frames both ways: a read loop handing each frame on, and a write
/// queue so that frames never interleave.
class FramedConnection : public std::enable_shared_from_this<FramedConnection> {
public:
    using Socket = boost::asio::ip::tcp::socket;
    FramedConnection(Socket socket, boost::asio::ssl::context& tls)
        : stream_(std::move(socket), tls) {}
    FramedConnection(boost::asio::io_context& io, boost::asio::ssl::context& tls)
        : stream_(io, tls) {}

    std::function<void(Frame)> on_frame;
    std::function<void()> on_close;  ///< once, when the connection fails or is closed

    boost::asio::ssl::stream<Socket>& stream() { return stream_; }

    void start_reading() { read_header(); }
    void send(std::string frame);
    void close();

private:
    void read_header();
    void read_body(std::uint32_t length);
    void deliver();
    void write_next();

    boost::asio::ssl::stream<Socket> stream_;
    std::array<std::uint8_t, 4> header_{};
    std::string body_;
    std::deque<std::string> out_;
    bool writing_ = false, closed_ = false;
};

/// Hands request `f`, which arrived on `connection`, to `handler`; the answer goes back on the
/// same connection as a reply with the request's id (if the connection is still open).
void answer_request(const PeerServer::Handler& handler,
                    const std::shared_ptr<FramedConnection>& connection, Frame& f);

}  // namespace sessionsim::testbed::peer_link_detail
