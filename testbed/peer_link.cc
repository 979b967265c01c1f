#include "testbed/peer_link.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>

#include "testbed/framed_connection.h"
#include "testbed/tcp_options.h"

namespace sessionsim::testbed {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// ---- client ----

namespace peer_link_detail {  // named: the Impls below (external linkage) hold these

struct Link {
    explicit Link(asio::io_context& io) : idle(io) {}
    struct Pending {
        std::function<void(std::optional<HttpReply>)> done;
        std::function<void(bool)> lost;
        std::unique_ptr<asio::steady_timer> timer;
    };
    std::shared_ptr<FramedConnection> connection;
    bool ready = false;
    std::unique_ptr<asio::steady_timer> handshake_deadline;
    std::vector<std::string> queued;  ///< frames waiting for the handshake
    std::map<std::uint64_t, Pending> pending;
    asio::steady_timer idle;
    bool adopted = false;  ///< a peer's inbound connection: the peer closes it when idle
};

}  // namespace peer_link_detail
using namespace peer_link_detail;

struct PeerClient::Impl : std::enable_shared_from_this<PeerClient::Impl> {
    Impl(asio::io_context& i, std::shared_ptr<asio::ssl::context> t, PeerClientOptions o)
        : io(i), tls(std::move(t)), options(std::move(o)) {}

    std::shared_ptr<Link> link_to(const tcp::endpoint& remote) {
        if (auto it = links.find(remote); it != links.end())
            return it->second;
        auto link = std::make_shared<Link>(io);
        link->connection = std::make_shared<FramedConnection>(io, *tls);
        links[remote] = link;
        ++opened;
        std::weak_ptr<Impl> weak_self = shared_from_this();
        std::weak_ptr<Link> weak_link = link;
        link->connection->on_frame = [weak_self, weak_link](Frame f) {
            auto self = weak_self.lock();
            auto l = weak_link.lock();
            if (!self || !l)
                return;
            if (f.kind == kReply)
                self->answered(l, f);
            else if (f.kind == kRequest)
                self->serve_request(l, f);
        };
        link->connection->on_close = [weak_self, weak_link, remote] {
            auto self = weak_self.lock();
            auto l = weak_link.lock();
            if (self && l)
                self->failed(remote, l);
        };
        auto connection = link->connection;
        auto& socket = connection->stream().lowest_layer();
        boost::system::error_code setup;
        // Opened here, not by the connect: the options must be set before the SYN (a connection
        // established under the host's congestion control keeps its pacing after a switch).
        socket.open(remote.protocol(), setup);
        if (!setup)
            set_testbed_tcp_options(socket.native_handle());
        if (!setup && options.local_address)
            socket.bind({*options.local_address, 0}, setup);
        if (!setup && options.fast_open)
            enable_fast_open_connect(socket.native_handle());
        if (options.handshake_timeout.count() > 0) {
            link->handshake_deadline =
                std::make_unique<asio::steady_timer>(io, options.handshake_timeout);
            link->handshake_deadline->async_wait([weak_link](boost::system::error_code ec) {
                auto l = weak_link.lock();
                if (!ec && l && !l->ready)
                    l->connection->close();  // on_close fails its requests as never opened
            });
        }
        if (setup) {
            asio::post(io, [connection] { connection->close(); });
            return link;
        }
        const long keep_alive = options.keep_alive.count();
        const long liveness = options.liveness_timeout.count();
        std::string hello = announce_as ? hello_frame(*announce_as) : "";
        socket.async_connect(remote, [connection, weak_link, keep_alive, liveness,
                                      hello = std::move(hello)](boost::system::error_code ec) {
            if (ec)
                return connection->close();
            set_liveness(connection->stream().lowest_layer().native_handle(), keep_alive, liveness);
            connection->stream().async_handshake(
                asio::ssl::stream_base::client,
                [connection, weak_link, hello](boost::system::error_code hs) {
                    if (hs)
                        return connection->close();
                    auto l = weak_link.lock();
                    if (!l)
                        return connection->close();
                    l->ready = true;
                    if (l->handshake_deadline)
                        l->handshake_deadline->cancel();
                    connection->start_reading();
                    if (!hello.empty())
                        connection->send(hello);  // before any request: the peer adopts us
                    for (auto& frame : std::exchange(l->queued, {}))
                        connection->send(std::move(frame));
                });
        });
        return link;
    }

    /// `connection`, a peer's inbound one announcing `remote`, becomes the link to `remote`
    /// unless there is one already (our own dialled connection is kept). Null if not taken.
    std::shared_ptr<Link> adopt(const tcp::endpoint& remote,
                                const std::shared_ptr<FramedConnection>& connection) {
        if (links.count(remote))
            return nullptr;
        auto link = std::make_shared<Link>(io);
        link->connection = connection;
        link->ready = true;
        link->adopted = true;
        links[remote] = link;
        return link;
    }

    /// A request the peer sent back over one of our connections: served like the server's own.
    void serve_request(const std::shared_ptr<Link>& link, Frame& f) {
        if (!handler)
            return;
        if (link->pending.empty())
            arm_idle(link);  // the peer's use keeps the connection open as our own would
        answer_request(handler, link->connection, f);
    }

    void answered(const std::shared_ptr<Link>& link, Frame& f) {
        auto it = link->pending.find(f.id);
        if (it == link->pending.end())
            return;  // timed out already
        auto done = std::move(it->second.done);
        link->pending.erase(it);
        if (link->pending.empty())
            arm_idle(link);
        done(HttpReply{f.code, std::move(f.body)});
    }

    /// The connection failed or was closed: every request on it fails.
    void failed(const tcp::endpoint& remote, const std::shared_ptr<Link>& link) {
        if (auto it = links.find(remote); it != links.end() && it->second == link)
            links.erase(it);
        link->idle.cancel();
        for (auto& [id, p] : std::exchange(link->pending, {})) {
            p.timer->cancel();
            if (p.lost)
                p.lost(!link->ready);
            p.done(std::nullopt);
        }
    }

    void arm_idle(const std::shared_ptr<Link>& link) {
        if (link->adopted)
            return;  // the dialler closes it (OxenMQ leaves idle incoming connections to it)
        link->idle.expires_after(options.idle_timeout);
        std::weak_ptr<Link> weak = link;
        link->idle.async_wait([weak](boost::system::error_code ec) {
            auto l = weak.lock();
            if (!ec && l && l->pending.empty())
                l->connection->close();  // on_close removes it
        });
    }

    asio::io_context& io;
    std::shared_ptr<asio::ssl::context> tls;
    PeerClientOptions options;
    PeerServer::Handler handler;               ///< requests peers send back over our connections
    std::optional<tcp::endpoint> announce_as;  ///< a node's own endpoint, for its hellos
    std::map<tcp::endpoint, std::shared_ptr<Link>> links;
    std::uint64_t next_id = 1;
    std::size_t opened = 0;
};

PeerClient::PeerClient(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls,
                       PeerClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(tls), std::move(options))) {}

PeerClient::~PeerClient() {
    for (auto& [remote, link] : std::exchange(impl_->links, {})) {
        link->connection->on_close = nullptr;
        link->connection->close();
    }
}

void PeerClient::request(const std::string& address, std::uint16_t port, std::uint16_t channel,
                         std::string body, std::chrono::milliseconds timeout,
                         std::function<void(std::optional<HttpReply>)> done,
                         std::function<void(bool)> lost) {
    boost::system::error_code bad;
    const auto ip = asio::ip::make_address(address, bad);
    if (bad) {
        asio::post(impl_->io, [done = std::move(done)] { done(std::nullopt); });
        return;
    }
    const tcp::endpoint remote(ip, port);
    auto link = impl_->link_to(remote);
    link->idle.cancel();
    const auto id = impl_->next_id++;
    auto& p = link->pending[id];
    p.done = std::move(done);
    p.lost = std::move(lost);
    p.timer = std::make_unique<asio::steady_timer>(impl_->io, timeout);
    std::weak_ptr<Link> weak = link;
    std::weak_ptr<Impl> weak_self = impl_;
    p.timer->async_wait([weak, weak_self, id](boost::system::error_code ec) {
        auto l = weak.lock();
        auto self = weak_self.lock();
        if (ec || !l || !self)
            return;
        auto it = l->pending.find(id);
        if (it == l->pending.end())
            return;
        auto callback = std::move(it->second.done);
        l->pending.erase(it);
        if (l->pending.empty()) {
            if (!l->ready)
                l->connection->close();  // a peer that never answered the dial
            else
                self->arm_idle(l);
        }
        callback(std::nullopt);
    });
    auto frame = encode(kRequest, id, channel, body);
    if (link->ready)
        link->connection->send(std::move(frame));
    else
        link->queued.push_back(std::move(frame));
}

void PeerClient::announce_as(const tcp::endpoint& self) {
    impl_->announce_as = self;
}

void PeerClient::serve(PeerServer::Handler handler) {
    impl_->handler = std::move(handler);
}

std::size_t PeerClient::open_connections() const {
    return impl_->links.size();
}

std::size_t PeerClient::connections_opened() const {
    return impl_->opened;
}

// ---- server ----

struct PeerServer::Impl : std::enable_shared_from_this<PeerServer::Impl> {
    Impl(asio::io_context& io, const tcp::endpoint& endpoint, std::shared_ptr<asio::ssl::context> t,
         Handler h)
        : acceptor(io), tls(std::move(t)), handler(std::move(h)) {
        listen_on(acceptor, endpoint);
    }

    void accept() {
        acceptor.async_accept(
            [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted)
                    return;
                if (!ec) {
                    set_testbed_tcp_options(socket.native_handle());
                    self->serve(std::make_shared<FramedConnection>(std::move(socket), *self->tls));
                }
                self->accept();
            });
    }

    void serve(const std::shared_ptr<FramedConnection>& connection) {
        std::weak_ptr<Impl> weak_self = shared_from_this();
        std::weak_ptr<FramedConnection> weak = connection;
        auto adopted = std::make_shared<std::weak_ptr<Link>>();  // set by the dialler's hello
        connection->on_frame = [weak_self, weak, adopted](Frame f) {
            auto self = weak_self.lock();
            if (!self)
                return;
            if (f.kind == kHello) {
                if (adopted->expired())
                    self->adopt(weak.lock(), f.body, *adopted);
                return;
            }
            if (f.kind == kReply) {  // to a request we sent over the adopted connection
                auto link = adopted->lock();
                auto client = self->peer_client.lock();
                if (link && client)
                    client->answered(link, f);
                return;
            }
            if (f.kind == kRequest)
                if (auto c = weak.lock())
                    answer_request(self->handler, c, f);
        };
        connection->stream().async_handshake(asio::ssl::stream_base::server,
                                             [connection](boost::system::error_code ec) {
                                                 if (ec)
                                                     return connection->close();
                                                 connection->start_reading();
                                             });
    }

    /// The dialler's hello: its connection becomes our client's link to the announced endpoint
    /// (on the announced address only: a hello cannot claim another host's endpoint).
    void adopt(const std::shared_ptr<FramedConnection>& connection, const std::string& body,
               std::weak_ptr<Link>& adopted) {
        auto peers = peer_client.lock();
        const auto remote = parse_hello(body);
        if (!peers || !connection || !remote)
            return;
        boost::system::error_code ec;
        const auto source = connection->stream().lowest_layer().remote_endpoint(ec);
        if (ec || source.address() != remote->address())
            return;
        auto link = peers->adopt(*remote, connection);
        if (!link)
            return;
        adopted = link;
        std::weak_ptr<PeerClient::Impl> weak_peers = peers;
        std::weak_ptr<Link> weak_link = link;
        connection->on_close = [weak_peers, weak_link, endpoint = *remote] {
            auto p = weak_peers.lock();
            auto l = weak_link.lock();
            if (p && l)
                p->failed(endpoint, l);
        };
    }

    tcp::acceptor acceptor;
    std::shared_ptr<asio::ssl::context> tls;
    Handler handler;
    std::weak_ptr<PeerClient::Impl> peer_client;  ///< share_inbound_with
};

PeerServer::PeerServer(asio::io_context& io, const tcp::endpoint& endpoint,
                       std::shared_ptr<asio::ssl::context> tls, Handler handler)
    : impl_(std::make_shared<Impl>(io, endpoint, std::move(tls), std::move(handler))) {
    impl_->accept();
}

void PeerServer::share_inbound_with(PeerClient& peers) {
    impl_->peer_client = peers.impl_;
}

PeerServer::~PeerServer() {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace sessionsim::testbed
