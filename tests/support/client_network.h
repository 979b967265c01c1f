// Clients talking through real ServiceNodes (in memory) with a fake clock: the fixture of the
// client tests and the hostile-peer tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "models/client/client.h"
#include "tests/support/node_network.h"

namespace sessionsim::client {

/// `n` made-up nodes, `per_subnet` of them in each IPv4 /24 (path selection tests).
inline std::vector<NodeInfo> test_pool(std::size_t n, std::uint64_t seed,
                                       std::size_t per_subnet = 1) {
    crypto::SeededRandom random(seed, "pool");
    std::vector<NodeInfo> nodes;
    for (std::size_t i = 0; i < n; ++i) {
        NodeInfo info;
        info.ed25519 = random.bytes<32>();
        info.x25519 = random.bytes<32>();
        info.ipv4 = 0x0a000000u + static_cast<std::uint32_t>((i / per_subnet) << 8) +
                    static_cast<std::uint32_t>(i % per_subnet) + 1;
        nodes.push_back(info);
    }
    return nodes;
}

/// Clients talking through real ServiceNodes (in memory) with a fake clock.
class ClientNetwork : public ::testing::Test {
protected:
    ClientNetwork() : net_(40, 11), random_(12, "clients") {
        for (std::size_t i = 0; i < net_.size(); ++i) {
            pool_.push_back(
                {net_.at(i).id(), net_.at(i).keys().x25519.public_key,
                 0x0a000001u + (static_cast<std::uint32_t>(i) << 8)});  // one node per /24
        }
        make_clients({});
    }

    /// Alice and Bob, afresh, with `config`.
    void make_clients(const ClientConfig& config) {
        const auto make = [&](const char* name) {
            return std::make_unique<Client>(
                identity::Identity::from_ed25519_seed(
                    crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(name)}))),
                config, NodePool(pool_), random_);
        };
        alice_ = make("alice");
        bob_ = make("bob");
    }

    /// Delivers client requests to the network until nothing is left; returns the events that
    /// are not requests.
    ClientEvents drive(Client& c, ClientEvents events, std::int64_t now) {
        ClientEvents done;
        while (!events.empty()) {
            ClientEvent e = std::move(events.front());
            events.erase(events.begin());
            if (auto* send = std::get_if<SendOnion>(&e)) {
                EXPECT_EQ(send->hops, ClientConfig{}.path_length) << "traces need the length";
                EXPECT_FALSE(send->probe);
                const std::size_t guard = net_.index_of(send->guard.ed25519);
                std::optional<node::WireReply> reply;
                if (!net_.down.count(guard))
                    reply = net_.onion_request(guard, send->body, now);
                if (reply && reply->status == 0)
                    reply.reset();  // nobody answered: the client's timeout
                auto more = c.on_reply(send->request_id, reply, now);
                events.insert(events.end(), more.begin(), more.end());
            } else if (auto* direct = std::get_if<SendDirect>(&e); direct && !direct->probe) {
                // A guard test (profiles that test guards): the node answers unless down.
                const std::size_t node = net_.index_of(direct->node.ed25519);
                std::optional<node::WireReply> reply;
                if (!net_.down.count(node))
                    reply = net_.direct_rpc(node, direct->body, now);
                auto more = c.on_reply(direct->request_id, reply, now);
                events.insert(events.end(), more.begin(), more.end());
            } else {
                done.push_back(std::move(e));
            }
        }
        return done;
    }

    test::NodeNetwork net_;
    std::vector<NodeInfo> pool_;
    crypto::SeededRandom random_;
    std::unique_ptr<Client> alice_, bob_;
};

}  // namespace sessionsim::client
