// Node-to-node transport of the testbed, standing in for OxenMQ: one TLS connection per peer,
// dialled on first use and closed after `idle_timeout` without a request in flight, carrying
// any number of requests at once, each tagged with an id and answered in any order. That is
// what OxenMQ gives the storage servers (`sn.onion_request`, `sn.storage_cc`, `sn.data`), and
// what HTTP/1.1 would not: there a second concurrent request to one peer needs a second
// connection, with its own TCP and TLS handshakes.
//
// Frame: u32 length of the rest (big-endian) | u8 kind (0 request, 1 reply, 2 hello) | u64 id |
//        u16 channel (request) or status (reply) | body.
//
// Either end may send requests on a connection, as OxenMQ does between service nodes: a node
// that dials a peer first sends a hello naming its own listening endpoint, and the peer then
// uses that inbound connection for its own requests to the dialler instead of dialling back
// (OxenMQ's send() takes an existing connection to the service node, incoming or outgoing;
// the simulator's ServiceNodeApp::peer_connection does the same).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "testbed/http.h"

namespace sessionsim::testbed {

/// The largest frame either side accepts (the storage server's request body limit and some).
inline constexpr std::size_t kMaxPeerFrame = 16 * 1024 * 1024;

/// Channels on which a node serves clients over this transport: the testbed's stand-in for the
/// QUIC endpoint where libsession's clients send their requests as streams of one connection
/// (the HTTPS endpoints' /onion_req/v2 and /storage_rpc/v1, multiplexed).
inline constexpr std::uint16_t kClientOnionChannel = 16;
inline constexpr std::uint16_t kClientRpcChannel = 17;

/// How a PeerClient dials and watches its connections. A node's defaults: the kernel's source
/// address, no Fast Open, no liveness beyond TCP's own.
struct PeerClientOptions {
    /// Close a connection this long after its last request is answered.
    std::chrono::milliseconds idle_timeout{30'000};
    /// Source address (a client's own address in the namespace testbed); unset: the kernel's.
    std::optional<boost::asio::ip::address> local_address = std::nullopt;
    /// TCP Fast Open (HttpClientOptions::fast_open): QUIC's one-round-trip handshake.
    bool fast_open = false;
    /// QUIC-style liveness, as HttpClientOptions has it (set_liveness, a handshake deadline).
    std::chrono::milliseconds keep_alive{0}, liveness_timeout{0}, handshake_timeout{0};
};

class PeerClient;

class PeerServer {
public:
    /// `respond(status, body)` answers one request, once, whenever the node is ready.
    using Handler = std::function<void(std::uint16_t channel, std::string body,
                                       std::function<void(int, std::string)> respond)>;

    /// Listens on `endpoint` with TLS from `tls`. Throws boost::system::system_error.
    PeerServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
               std::shared_ptr<boost::asio::ssl::context> tls, Handler handler);
    ~PeerServer();

    /// Inbound connections whose dialler announces itself (a hello) become `client`'s links to
    /// the announced endpoint when it has none of its own, so that its requests to that peer
    /// go over them. The announced address must be the connection's source address.
    void share_inbound_with(PeerClient& client);

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

class PeerClient {
public:
    PeerClient(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
               PeerClientOptions options);
    ~PeerClient();
    PeerClient(const PeerClient&) = delete;
    PeerClient& operator=(const PeerClient&) = delete;

    /// Sends `body` on `channel` over the connection to address:port (dialling it if there is
    /// none); `done` gets the reply, or nullopt if the peer cannot be reached, the connection
    /// fails, or no reply comes within `timeout`. `lost`, if given, is called first when the
    /// request failed with its connection: `never_opened` if it never opened (refused,
    /// unreachable, past the handshake timeout), else it broke (reset, or the liveness timeout).
    void request(const std::string& address, std::uint16_t port, std::uint16_t channel,
                 std::string body, std::chrono::milliseconds timeout,
                 std::function<void(std::optional<HttpReply>)> done,
                 std::function<void(bool never_opened)> lost = {});

    /// A node's own peer endpoint, announced in a hello on every connection dialled from now on
    /// so that the peer can send its requests back over it. Clients announce nothing.
    void announce_as(const boost::asio::ip::tcp::endpoint& self);

    /// Serves the requests that peers send back over this client's connections (see
    /// PeerServer::share_inbound_with) with `handler`; without one they go unanswered.
    void serve(PeerServer::Handler handler);

    std::size_t open_connections() const;
    std::size_t connections_opened() const;

    struct Impl;

private:
    friend class PeerServer;  // share_inbound_with hands inbound connections to impl_
    std::shared_ptr<Impl> impl_;
};

}  // namespace sessionsim::testbed
