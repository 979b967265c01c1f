#include "testbed/node_daemon.h"

#include <chrono>

#include "models/common/errors.h"
#include "models/storage/limits.h"
#include "testbed/tls.h"

namespace sessionsim::testbed {

namespace asio = boost::asio;

namespace {
// peer_link channel numbers of the storage server's OxenMQ commands.
std::uint16_t channel_number(node::PeerChannel channel) {
    switch (channel) {
        case node::PeerChannel::onion_request:
            return 1;  // sn.onion_request
        case node::PeerChannel::storage_cc:
            return 2;  // sn.storage_cc
        case node::PeerChannel::data_relay:
            return 3;  // sn.data
    }
    return 0;
}

std::optional<node::PeerChannel> channel_of(std::uint16_t number) {
    switch (number) {
        case 1:
            return node::PeerChannel::onion_request;
        case 2:
            return node::PeerChannel::storage_cc;
        case 3:
            return node::PeerChannel::data_relay;
        default:
            return std::nullopt;
    }
}
}  // namespace

NodeDaemon::NodeDaemon(asio::io_context& io, const Registry& registry, std::size_t index,
                       const std::string& database)
    : io_(io),
      database_(database),
      peers_(io, unverified_client_context(), PeerClientOptions{.idle_timeout = kPeerIdleTimeout}),
      cleanup_(io) {
    if (index >= registry.nodes.size())
        throw InvalidInput("node index " + std::to_string(index) + " is not in the registry (" +
                           std::to_string(registry.nodes.size()) + " nodes)");
    auto keys = testbed_node_keys(registry.seed, index);
    if (keys.ed25519.public_key != registry.nodes[index].contact.ed25519)
        throw InvalidInput("the registry's key for node " + std::to_string(index) +
                           " is not the one its seed gives");
    random_ = std::make_unique<crypto::SeededRandom>(
        registry.seed, "testbed node process " + std::to_string(index));
    node_ = std::make_unique<node::ServiceNode>(std::move(keys), *random_);
    loaded_ = database_.load(node_->store());
    node_->set_swarms(registry.swarm_view());
    const auto& contact = registry.nodes[index].contact;
    const asio::ip::tcp::endpoint endpoint(
        asio::ip::make_address(storage::ipv4_string(contact.ipv4)), contact.https_port);
    const auto tls = self_signed_server_context(to_hex(contact.ed25519));
    server_ = std::make_unique<HttpServer>(
        io, endpoint,
        [this](const std::string& method, const std::string& target, std::string body,
               Respond respond) {
            on_request(method, target, std::move(body), std::move(respond));
        },
        kMaxRequestBody, tls);
    const PeerServer::Handler peer_request = [this](std::uint16_t channel, std::string body,
                                                    std::function<void(int, std::string)> respond) {
        on_peer_request(channel, std::move(body), std::move(respond));
    };
    const asio::ip::tcp::endpoint peer_endpoint(endpoint.address(), contact.omq_port);
    peer_server_ = std::make_unique<PeerServer>(io, peer_endpoint, tls, peer_request);
    // One connection per pair of nodes, used both ways, as OxenMQ does (peer_link.h).
    peers_.announce_as(peer_endpoint);
    peers_.serve(peer_request);
    peer_server_->share_inbound_with(peers_);
    schedule_cleanup();
}

std::int64_t NodeDaemon::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void NodeDaemon::on_request(const std::string& method, const std::string& target, std::string body,
                            Respond respond) {
    if (method != "POST") {
        respond({405, "Method not allowed"});
        return;
    }
    const std::uint64_t id = next_id_++;
    waiting_[id] = std::move(respond);
    const auto now = now_ms();
    if (target == "/storage_rpc/v1") {
        perform(node_->on_client_rpc(id, body, now));
    } else if (target == "/onion_req/v2") {
        perform(node_->on_onion_request(id, as_bytes(body), now));
    } else {
        waiting_.erase(id);
        respond({404, "Not found: " + target});
        return;
    }
}

void NodeDaemon::on_peer_request(std::uint16_t number, std::string body,
                                 std::function<void(int, std::string)> respond) {
    if (number == kClientOnionChannel || number == kClientRpcChannel) {  // a client's stream
        on_request("POST", number == kClientOnionChannel ? "/onion_req/v2" : "/storage_rpc/v1",
                   std::move(body), [respond = std::move(respond)](HttpReply r) {
                       respond(r.status, std::move(r.body));
                   });
        return;
    }
    const auto channel = channel_of(number);
    if (!channel) {
        respond(404, "unknown peer channel " + std::to_string(number));
        return;
    }
    const std::uint64_t id = next_id_++;
    waiting_[id] = [respond = std::move(respond)](HttpReply r) {
        respond(r.status, std::move(r.body));
    };
    const crypto::Ed25519PublicKey unknown{};  // the node does not act on the sender
    perform(node_->on_peer_request(unknown, *channel, id, body, now_ms()));
    if (*channel == node::PeerChannel::data_relay) {  // sn.data has no reply
        if (auto it = waiting_.find(id); it != waiting_.end()) {
            it->second({200, ""});
            waiting_.erase(it);
        }
    }
}

void NodeDaemon::perform(node::Actions actions) {
    for (auto& action : actions) {
        if (auto* reply = std::get_if<node::Reply>(&action)) {
            const auto it = waiting_.find(reply->request_id);
            if (it == waiting_.end())
                continue;
            auto respond = std::move(it->second);
            waiting_.erase(it);
            if (!reply->silent)  // silent: a hostile node drops it; the asker times out
                respond({reply->status, std::move(reply->body)});
        } else if (auto* send = std::get_if<node::SendToPeer>(&action)) {
            send_to_peer(std::move(*send));
        } else if (auto* post = std::get_if<node::PostToServer>(&action)) {
            // External servers are not part of the testbed yet: unreachable, as for an unknown
            // host, so the node answers the client with the storage server's error.
            const std::uint64_t id = post->request_id;
            asio::post(io_,
                       [this, id] { perform(node_->on_server_reply(id, std::nullopt, now_ms())); });
        }
    }
}

void NodeDaemon::send_to_peer(node::SendToPeer send) {
    if (send.delay_ms > 0) {  // a hostile relay holding the layer
        auto timer = std::make_shared<boost::asio::steady_timer>(
            io_, std::chrono::milliseconds(send.delay_ms));
        send.delay_ms = 0;
        timer->async_wait(
            [this, timer, send = std::move(send)](const boost::system::error_code& ec) {
                if (!ec)
                    send_to_peer(send);
            });
        return;
    }
    const auto* peer = node_->swarms().find(send.peer);  // the view the node was given
    const std::uint64_t id = send.request_id;
    const bool expects_reply = send.expects_reply;
    if (!peer) {
        if (expects_reply)
            asio::post(io_,
                       [this, id] { perform(node_->on_peer_reply(id, std::nullopt, now_ms())); });
        return;
    }
    const auto timeout = std::chrono::milliseconds(send.timeout_ms > 0 ? send.timeout_ms : 30'000);
    peers_.request(storage::ipv4_string(peer->ipv4), peer->omq_port, channel_number(send.channel),
                   std::move(send.payload), timeout,
                   [this, id, expects_reply](std::optional<HttpReply> reply) {
                       if (!expects_reply)
                           return;
                       std::optional<node::WireReply> wire;
                       if (reply)
                           wire = node::WireReply{reply->status, std::move(reply->body)};
                       perform(node_->on_peer_reply(id, wire, now_ms()));
                   });
}

void NodeDaemon::schedule_cleanup() {
    cleanup_.expires_after(std::chrono::milliseconds(storage::kCleanupPeriod));
    cleanup_.async_wait([this](const boost::system::error_code& ec) {
        if (ec)
            return;
        node_->on_cleanup_timer(now_ms());
        schedule_cleanup();
    });
}

}  // namespace sessionsim::testbed
