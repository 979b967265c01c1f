#include "testbed/framed_connection.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace sessionsim::testbed::peer_link_detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string encode(std::uint8_t kind, std::uint64_t id, std::uint16_t code,
                   const std::string& body) {
    const auto length = static_cast<std::uint32_t>(kFrameHead + body.size());
    std::string f;
    f.reserve(4 + length);
    for (int s = 24; s >= 0; s -= 8)
        f.push_back(static_cast<char>(length >> s));
    f.push_back(static_cast<char>(kind));
    for (int s = 56; s >= 0; s -= 8)
        f.push_back(static_cast<char>(id >> s));
    f.push_back(static_cast<char>(code >> 8));
    f.push_back(static_cast<char>(code));
    f += body;
    return f;
}

std::string hello_frame(const tcp::endpoint& self) {
    return encode(kHello, 0, 0, self.address().to_string() + " " + std::to_string(self.port()));
}

std::optional<tcp::endpoint> parse_hello(const std::string& body) {
    const auto space = body.find(' ');
    if (space == std::string::npos)
        return std::nullopt;
    boost::system::error_code bad;
    const auto address = asio::ip::make_address(body.substr(0, space), bad);
    unsigned long port = 0;
    try {
        port = std::stoul(body.substr(space + 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (bad || port == 0 || port > 65535)
        return std::nullopt;
    return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

void FramedConnection::send(std::string frame) {
    if (closed_)
        return;
    out_.push_back(std::move(frame));
    if (!writing_)
        write_next();
}

void FramedConnection::close() {
    if (closed_)
        return;
    closed_ = true;
    boost::system::error_code ignored;
    stream_.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
    if (auto callback = std::move(on_close))
        callback();
    on_frame = nullptr;
}

void FramedConnection::read_header() {
    asio::async_read(stream_, asio::buffer(header_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                         if (ec)
                             return self->close();
                         const std::uint32_t length = std::uint32_t{self->header_[0]} << 24 |
                                                      std::uint32_t{self->header_[1]} << 16 |
                                                      std::uint32_t{self->header_[2]} << 8 |
                                                      self->header_[3];
                         if (length < kFrameHead || length > kMaxPeerFrame)
                             return self->close();  // not our protocol: drop the peer
                         self->read_body(length);
                     });
}

void FramedConnection::read_body(std::uint32_t length) {
    body_.resize(length);
    asio::async_read(stream_, asio::buffer(body_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                         if (ec)
                             return self->close();
                         self->deliver();
                         self->read_header();
                     });
}

void FramedConnection::deliver() {
    const auto* p = reinterpret_cast<const std::uint8_t*>(body_.data());
    Frame f;
    f.kind = p[0];
    for (int i = 1; i <= 8; ++i)
        f.id = f.id << 8 | p[i];
    f.code = static_cast<std::uint16_t>(p[9] << 8 | p[10]);
    f.body = body_.substr(kFrameHead);
    if (on_frame)
        on_frame(std::move(f));
}

void FramedConnection::write_next() {
    if (out_.empty() || closed_) {
        writing_ = false;
        return;
    }
    writing_ = true;
    asio::async_write(stream_, asio::buffer(out_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          if (ec)
                              return self->close();
                          self->out_.pop_front();
                          self->write_next();
                      });
}

void answer_request(const PeerServer::Handler& handler,
                    const std::shared_ptr<FramedConnection>& connection, Frame& f) {
    std::weak_ptr<FramedConnection> weak = connection;
    const auto id = f.id;
    handler(f.code, std::move(f.body), [weak, id](int status, std::string body) {
        if (auto c = weak.lock())
            c->send(encode(kReply, id, static_cast<std::uint16_t>(status), body));
    });
}

}  // namespace sessionsim::testbed::peer_link_detail
