// A service node as a real process: the protocol core's ServiceNode behind real sockets. Clients
// reach it over HTTPS (POST /storage_rpc/v1, POST /onion_req/v2, the storage server's endpoints
// and formats); other nodes over one multiplexed TLS connection per peer (testbed/peer_link.h,
// standing in for OxenMQ: its request/reply pairing, concurrency and timeouts, not its framing).
// Messages live in an SQLite file written through before each answer. Everything runs on one
// Asio io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>

#include "models/crypto/random.h"
#include "models/node/driver_config.h"
#include "models/node/service_node.h"
#include "testbed/http.h"
#include "testbed/peer_link.h"
#include "testbed/registry_file.h"
#include "testbed/sqlite_store.h"

namespace sessionsim::testbed {

/// The largest request body a node reads (the storage server's limit for onion requests).
inline constexpr std::size_t kMaxRequestBody = 10 * 1024 * 1024;
/// A node closes a connection it opened to a peer once unused this long (OxenMQ's default send
/// keep-alive, the default of the simulator's node.idle_timeout_s too).
inline constexpr std::chrono::milliseconds kPeerIdleTimeout{node::DriverConfig{}.idle_timeout_ms};

class NodeDaemon {
public:
    /// Node `index` of `registry`, listening on its registry address and port, storing in
    /// `database` (created if missing; its messages are loaded).
    NodeDaemon(boost::asio::io_context& io, const Registry& registry, std::size_t index,
               const std::string& database);

    const node::ServiceNode& node() const { return *node_; }
    std::size_t loaded_messages() const { return loaded_; }
    std::uint16_t port() const { return server_->port(); }
    std::size_t peer_connections_opened() const { return peers_.connections_opened(); }

private:
    static std::int64_t now_ms();
    void on_request(const std::string& method, const std::string& target, std::string body,
                    Respond respond);
    void on_peer_request(std::uint16_t channel, std::string body,
                         std::function<void(int, std::string)> respond);
    void perform(node::Actions actions);
    void send_to_peer(node::SendToPeer send);
    void schedule_cleanup();

    boost::asio::io_context& io_;
    std::unique_ptr<crypto::SeededRandom> random_;
    std::unique_ptr<node::ServiceNode> node_;
    SqliteStore database_;
    std::size_t loaded_ = 0;
    std::unique_ptr<HttpServer> server_;       ///< clients: HTTPS on the node's port
    std::unique_ptr<PeerServer> peer_server_;  ///< other nodes: peer_link on the port above
    PeerClient peers_;
    boost::asio::steady_timer cleanup_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Respond> waiting_;  ///< requests the node has yet to answer
};

}  // namespace sessionsim::testbed
