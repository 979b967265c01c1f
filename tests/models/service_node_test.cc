// Service nodes end to end in memory: onion-routed stores replicated across the swarm,
// retrieval from another member, failures, and messages following swarm changes.
#include <gtest/gtest.h>

#include <map>

#include "models/common/base64.h"
#include "models/identity/keys.h"
#include "models/node/message_relay.h"
#include "models/onion/response.h"
#include "models/storage/request_signatures.h"
#include "tests/support/node_network.h"

namespace sessionsim::node {
namespace {

using nlohmann::json;
constexpr std::int64_t kNow = 1'700'000'000'000;

class ServiceNodeTest : public ::testing::Test {
protected:
    ServiceNodeTest() : net_(30, 7) {
        account_ = std::make_unique<identity::Identity>(identity::Identity::from_ed25519_seed(
            crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes("alice")}))));
    }

    std::vector<std::size_t> swarm_members() {
        const auto& view = net_.at(0).swarms();
        std::vector<std::size_t> out;
        for (const auto& m : view.members(view.swarm_of(account_->session_id())))
            out.push_back(net_.index_of(m.ed25519));
        return out;
    }
    std::vector<std::size_t> path_avoiding(const std::vector<std::size_t>& avoid) {
        std::vector<std::size_t> path;
        for (std::size_t i = 0; i < net_.size() && path.size() < 3; ++i) {
            if (std::find(avoid.begin(), avoid.end(), i) == avoid.end())
                path.push_back(i);
        }
        return path;
    }

    /// Sends an RPC through a 3-hop onion to `dest`; returns the decrypted v3 reply.
    onion::V3Response rpc(std::size_t dest, const json& request,
                          const std::vector<std::size_t>& path) {
        std::vector<onion::NodeKeys> hops;
        for (const auto i : path)
            hops.push_back(net_.onion_keys(i));
        const std::string body = request.dump();
        const auto built = onion::build_onion(hops, net_.onion_keys(dest), as_bytes(body),
                                              onion::EncType::xchacha20, net_.random());
        const auto reply = net_.onion_request(path[0], built.entry_body, kNow);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return onion::open_v3_reply(built.reply_key, reply.body);
    }

    json store_request(const std::string& text) {
        return {{"method", "store"},
                {"params",
                 {{"pubkey", account_->session_id().to_hex()},
                  {"timestamp", kNow},
                  {"ttl", 14LL * 24 * 3600 * 1000},
                  {"data", to_base64(as_bytes(text))}}}};
    }

    test::NodeNetwork net_;
    std::unique_ptr<identity::Identity> account_;
};

TEST_F(ServiceNodeTest, OnionStoreReachesEveryMemberOfTheSwarm) {
    const auto members = swarm_members();
    ASSERT_GE(members.size(), 5u);
    const auto reply = rpc(members[0], store_request("hello"), path_avoiding(members));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto body = json::parse(reply.body);
    EXPECT_EQ(body.at("swarm").size(), members.size());
    for (const auto& [node, entry] : body.at("swarm").items()) {
        EXPECT_FALSE(entry.contains("failed")) << node << " " << entry.dump();
    }
    for (const auto m : members)
        EXPECT_EQ(net_.at(m).store().size(), 1u) << "member " << m;
    EXPECT_EQ(net_.at(path_avoiding(members)[0]).counters().onion_relayed, 1u);
}

// What each hop learns (the adversary's raw material): the guard knows it serves a client and the
// next hop, the middle relay only the next hop, the destination the method and account -- and
// none of them anything else.
TEST_F(ServiceNodeTest, EachHopSeesOnlyItsOwnLayer) {
    const auto members = swarm_members();
    const auto path = path_avoiding(members);
    std::map<std::size_t, std::vector<HopView>> seen;
    for (const auto i : path)
        net_.at(i).set_hop_observer([&seen, i](const HopView& v) { seen[i].push_back(v); });
    net_.at(members[0]).set_hop_observer([&seen, d = members[0]](const HopView& v) {
        seen[d].push_back(v);
    });
    rpc(members[0], store_request("observed"), path);

    ASSERT_EQ(seen[path[0]].size(), 1u);
    const auto& guard = seen[path[0]][0];
    EXPECT_TRUE(guard.from_client);
    EXPECT_EQ(guard.outcome, HopView::Outcome::forwarded);
    EXPECT_EQ(guard.next, net_.at(path[1]).id());
    EXPECT_TRUE(guard.account.empty());
    const auto& middle = seen[path[1]].at(0);
    EXPECT_FALSE(middle.from_client);
    EXPECT_EQ(middle.next, net_.at(path[2]).id());
    const auto& last = seen[path[2]].at(0);
    EXPECT_EQ(last.next, net_.at(members[0]).id());  // the last relay learns the swarm member
    const auto& destination = seen[members[0]].at(0);
    EXPECT_FALSE(destination.from_client);
    EXPECT_EQ(destination.outcome, HopView::Outcome::executed);
    EXPECT_EQ(destination.method, "store");
    EXPECT_EQ(destination.account, account_->session_id().to_hex());
    EXPECT_FALSE(destination.next);
    EXPECT_GT(guard.layer_bytes, middle.layer_bytes);  // each layer wraps the next
    EXPECT_GT(middle.layer_bytes, destination.layer_bytes);
}

TEST_F(ServiceNodeTest, AnotherMemberServesTheSignedRetrieve) {
    const auto members = swarm_members();
    rpc(members[0], store_request("m1"), path_avoiding(members));
    const std::int64_t ts = kNow;
    const json retrieve{{"method", "retrieve"},
                        {"params",
                         {{"pubkey", account_->session_id().to_hex()},
                          {"pubkey_ed25519", to_hex(account_->ed25519().public_key)},
                          {"timestamp", ts},
                          {"signature", storage::sign_request(
                                            *account_, storage::retrieve_signed_string(0, ts))}}}};
    const auto reply = rpc(members[2], retrieve, path_avoiding(members));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto messages = json::parse(reply.body).at("messages");
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(from_base64(messages[0].at("data").get<std::string>()), Bytes({'m', '1'}));
}

TEST_F(ServiceNodeTest, DownSwarmPeerShowsAsTimeoutButTheStoreSucceeds) {
    const auto members = swarm_members();
    net_.down.insert(members[1]);
    const auto reply = rpc(members[0], store_request("x"), path_avoiding(members));
    ASSERT_EQ(reply.status, 200);
    const auto body = json::parse(reply.body);
    EXPECT_EQ(body.at("swarm").at(to_hex(net_.at(members[1]).id())).at("timeout"), true);
    EXPECT_EQ(net_.at(members[1]).store().size(), 0u);
}

TEST_F(ServiceNodeTest, DownHopGives504AndUnknownHopGives502) {
    const auto members = swarm_members();
    const auto path = path_avoiding(members);
    net_.down.insert(path[1]);
    std::vector<onion::NodeKeys> hops;
    for (const auto i : path)
        hops.push_back(net_.onion_keys(i));
    const auto built = onion::build_onion(hops, net_.onion_keys(members[0]), as_bytes("{}"),
                                          onion::EncType::xchacha20, net_.random());
    auto reply = net_.onion_request(path[0], built.entry_body, kNow);
    EXPECT_EQ(reply.status, 504);
    EXPECT_EQ(reply.body, "Request time out");
    net_.down.clear();

    hops[1].ed25519.fill(0x42);
    const auto lost = onion::build_onion(hops, net_.onion_keys(members[0]), as_bytes("{}"),
                                         onion::EncType::xchacha20, net_.random());
    reply = net_.onion_request(path[0], lost.entry_body, kNow);
    EXPECT_EQ(reply.status, 502);
    EXPECT_EQ(reply.body, "Next node not found: " + to_hex(hops[1].ed25519));
}

TEST_F(ServiceNodeTest, MessagesFollowSwarmChanges) {
    const auto members = swarm_members();
    for (int i = 0; i < 5; ++i)
        rpc(members[0], store_request("keep" + std::to_string(i)), path_avoiding(members));
    // Many registrations create new swarms; the account may move. Wherever it lands, every
    // member of its new swarm must hold its messages.
    for (int i = 0; i < 40; ++i)
        net_.add_node(7);
    net_.rebalance(2);
    const auto now_members = swarm_members();
    for (const auto m : now_members) {
        EXPECT_EQ(net_.at(m).store().size() >= 5, true)
            << "member " << m << " holds " << net_.at(m).store().size();
    }
    std::uint64_t pushed = 0;
    for (std::size_t i = 0; i < net_.size(); ++i)
        pushed += net_.at(i).counters().messages_pushed;
    EXPECT_GT(pushed, 0u);
}

TEST_F(ServiceNodeTest, ForgedRelayIsRejected) {
    storage::StoredMessage m;
    m.owner = account_->session_id();
    m.hash = std::string(43, 'A');  // not the data's hash
    m.data = {1, 2, 3};
    m.timestamp_ms = kNow;
    m.expiry_ms = kNow + 60'000;
    auto& victim = net_.at(0);
    victim.on_peer_request(net_.at(1).id(), PeerChannel::data_relay, 1, encode_message_batch({&m}),
                           kNow);
    EXPECT_EQ(victim.store().size(), 0u);
    EXPECT_EQ(victim.counters().relay_rejected, 1u);
    victim.on_peer_request(net_.at(1).id(), PeerChannel::data_relay, 2, "not bencode", kNow);
    EXPECT_EQ(victim.counters().relay_rejected, 2u);
}

TEST_F(ServiceNodeTest, ARestartedNodeWithItsDatabaseNotifiesItsOwnSubscribers) {
    // Found by the soak run: the database moved into the restarted node still called back into
    // the node that had filled it (destroyed by then) whenever a message was stored.
    const auto members = swarm_members();
    const std::size_t m = members[0];
    rpc(m, store_request("before the crash"), path_avoiding(members));
    net_.restart(m);
    EXPECT_EQ(net_.at(m).store().size(), 1u);  // the database came back

    push::MonitorRequest monitor;
    monitor.account = account_->session_id();
    monitor.session_ed25519 = account_->ed25519().public_key;
    monitor.namespaces = {0};
    monitor.data = true;
    monitor.sig_ts_s = kNow / 1000;
    monitor.signature = crypto::ed25519_sign(
        account_->ed25519().secret_key,
        as_bytes(push::monitor_signed_string(monitor.account, monitor.sig_ts_s, true, {0})));
    ASSERT_EQ(net_.at(m).on_monitor(7, monitor.encode(), kNow), std::nullopt);
    const auto stored = rpc(m, store_request("after the restart"), path_avoiding(members));
    EXPECT_EQ(stored.status, 200) << stored.body;
    const auto notifications = net_.at(m).take_notifications(kNow);
    ASSERT_EQ(notifications.size(), 1u);
    EXPECT_EQ(notifications[0].first, 7u);
}

TEST_F(ServiceNodeTest, NotReadyNodeAnswers503) {
    net_.at(0).set_ready(false);
    const auto reply = net_.onion_request(0, Bytes(100, 1), kNow);
    EXPECT_EQ(reply.status, 400);  // unparseable entry body is rejected before readiness matters
    const auto built =
        onion::build_onion(std::vector<onion::NodeKeys>{net_.onion_keys(0)}, net_.onion_keys(1),
                           as_bytes("{}"), onion::EncType::xchacha20, net_.random());
    const auto r = net_.onion_request(0, built.entry_body, kNow);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, "Snode not ready: " + to_hex(net_.at(0).id()));
}

}  // namespace
}  // namespace sessionsim::node
