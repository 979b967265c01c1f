// Hostile service nodes (models/node/misbehaviour.h) against real clients, in memory: each
// attack's effect on the node's answers, and the client's way around it -- strikes for nodes
// that drop or corrupt, de-duplication for replays, refusal of unreadable answers, a refetch for
// false 421s, signature checks for forged store acknowledgements.
#include <gtest/gtest.h>

#include "models/common/errors.h"
#include "tests/support/client_network.h"

namespace sessionsim::client {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

class HostilePeers : public ClientNetwork {
protected:
    std::vector<std::size_t> swarm_of(const identity::AccountId& account) {
        const auto& view = net_.at(0).swarms();
        std::vector<std::size_t> out;
        for (const auto& m : view.members(view.swarm_of(account)))
            out.push_back(net_.index_of(m.ed25519));
        return out;
    }
    std::vector<std::size_t> bob_swarm() { return swarm_of(bob_->identity().session_id()); }
    bool in(const std::vector<std::size_t>& set, std::size_t i) {
        return std::find(set.begin(), set.end(), i) != set.end();
    }
    node::MisbehaviourPlan plan(node::Misbehaviour kind) {
        node::MisbehaviourPlan p;
        p.kind = kind;
        return p;
    }
    /// Alice sends `n` messages to Bob; what came back for each, in order.
    std::vector<ClientEvent> send_many(int n, std::int64_t at) {
        std::vector<ClientEvent> out;
        for (int i = 0; i < n; ++i) {
            auto [id, events] =
                alice_->send_text(bob_->identity().session_id(), "m" + std::to_string(i), at + i);
            for (auto& e : drive(*alice_, events, at + i))
                out.push_back(std::move(e));
        }
        return out;
    }
    static int count_stored(const std::vector<ClientEvent>& events) {
        return static_cast<int>(std::count_if(events.begin(), events.end(), [](const auto& e) {
            return std::holds_alternative<MessageStored>(e);
        }));
    }
    /// How many nodes hold the message named `hash`.
    std::size_t copies(const std::string& hash) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < net_.size(); ++i)
            n += net_.at(i).store().find(hash) != nullptr;
        return n;
    }
};

TEST(Misbehaviour, NamesRoundTripAndAnUnknownNameListsTheKnownOnes) {
    for (const auto& name : node::misbehaviour_names())
        EXPECT_EQ(node::misbehaviour_name(node::parse_misbehaviour(name)), name);
    try {
        node::parse_misbehaviour("lie");
        FAIL() << "accepted";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("forge_ack"), std::string::npos) << e.what();
    }
}

TEST_F(HostilePeers, AGuardThatDropsEverythingCostsStrikesThenItsPathNotTheMessages) {
    send_many(1, kNow);  // paths exist
    const std::size_t guard = net_.index_of(alice_->paths().guards()[0]);
    net_.at(guard).set_misbehaviour(plan(node::Misbehaviour::drop));
    const auto events = send_many(8, kNow + 100);
    EXPECT_EQ(count_stored(events), 8);
    EXPECT_GE(net_.at(guard).misdeeds().dropped, 3u);
    EXPECT_GE(alice_->counters().timeouts, 3u);
    EXPECT_GE(alice_->paths().paths_dropped(), 1u);
    const auto guards = alice_->paths().guards();
    EXPECT_EQ(std::count(guards.begin(), guards.end(), net_.at(guard).id()), 0)
        << "the dropping guard was not replaced";
}

TEST_F(HostilePeers, ARelayThatCorruptsLayersAndRepliesIsRoutedAround) {
    send_many(1, kNow);
    const auto& path = alice_->paths().paths()[0];
    const std::size_t middle = net_.index_of(path[1].ed25519);
    net_.at(middle).set_misbehaviour(plan(node::Misbehaviour::corrupt));
    const auto events = send_many(8, kNow + 100);
    EXPECT_EQ(count_stored(events), 8);
    EXPECT_GE(net_.at(middle).misdeeds().corrupted, 1u);
    EXPECT_GE(alice_->paths().paths_dropped() + alice_->paths().node_strikes(path[1].ed25519), 1u);
}

TEST_F(HostilePeers, AReplayedStoreRunsTwiceButIsStoredAndDeliveredOnce) {
    send_many(1, kNow);
    const std::size_t guard = net_.index_of(alice_->paths().guards()[0]);
    net_.at(guard).set_misbehaviour(plan(node::Misbehaviour::replay));
    std::uint64_t executed_before = 0;
    for (std::size_t i = 0; i < net_.size(); ++i)
        executed_before += net_.at(i).counters().rpc_executed;
    const auto events = send_many(6, kNow + 100);
    ASSERT_EQ(count_stored(events), 6);
    std::uint64_t executed = 0;
    for (std::size_t i = 0; i < net_.size(); ++i)
        executed += net_.at(i).counters().rpc_executed;
    const auto replayed = net_.at(guard).misdeeds().replayed;
    EXPECT_GE(replayed, 1u);
    EXPECT_EQ(executed - executed_before, 6 + replayed) << "each replay ran at the destination";
    for (const auto& e : events)
        EXPECT_EQ(copies(std::get<MessageStored>(e).hash), bob_swarm().size()) << "one per member";
    const auto got = drive(*bob_, bob_->poll(kNow + 1000), kNow + 1000);
    EXPECT_EQ(got.size(), 7u) << "every message once";
}

TEST_F(HostilePeers, UnreadableAnswersAreRefusedNotFatalAndTheMessagesGetThrough) {
    const auto swarm = bob_swarm();
    for (const auto i : {swarm[0], swarm[1]})
        net_.at(i).set_misbehaviour(plan(node::Misbehaviour::malformed));
    const auto events = send_many(20, kNow);
    EXPECT_EQ(count_stored(events), 20);
    for (const auto& e : events)
        EXPECT_FALSE(std::get<MessageStored>(e).hash.empty());
    const auto malformed = [&] {
        return net_.at(swarm[0]).misdeeds().malformed + net_.at(swarm[1]).misdeeds().malformed;
    };
    EXPECT_GE(malformed(), 1u);
    EXPECT_EQ(alice_->counters().bad_replies, malformed());
    // Bob's polls meet them too (results of the wrong types): refused, and the honest members
    // he asks instead deliver.
    std::size_t received = 0;
    for (int k = 1; k <= 10 && received < 20; ++k)
        received += drive(*bob_, bob_->poll(kNow + 6000 * k), kNow + 6000 * k).size();
    EXPECT_EQ(received, 20u);
}

TEST_F(HostilePeers, FalseWrongSwarmAnswersStrandTheDesktopRuleButNotARefetch) {
    // One member of Bob's swarm and three nodes elsewhere answer every request with a 421
    // naming the three as Bob's swarm.
    const auto swarm = bob_swarm();
    auto p = plan(node::Misbehaviour::wrong_swarm);
    std::vector<std::size_t> liars{swarm[0]};
    for (std::size_t i = 0; i < net_.size() && liars.size() < 4; ++i) {
        if (!in(swarm, i))
            liars.push_back(i);
    }
    for (std::size_t k = 1; k < liars.size(); ++k) {
        const auto& n = net_.at(liars[k]);
        p.accomplices.push_back({n.id(), n.keys().x25519.public_key, 0});
    }
    for (const auto i : liars)
        net_.at(i).set_misbehaviour(p);

    const int take_list = count_stored(send_many(20, kNow));
    EXPECT_LT(take_list, 20) << "a false 421 list followed leads only to the liars";
    EXPECT_GT(alice_->counters().wrong_swarm, 0u);

    ClientConfig refetch;
    refetch.on_wrong_swarm = ClientConfig::WrongSwarm::refetch;
    make_clients(refetch);
    EXPECT_EQ(count_stored(send_many(20, kNow + 1000)), 20);
}

TEST_F(HostilePeers, AForgedStoreAcknowledgementLosesTheMessageUnlessSignaturesAreChecked) {
    const auto swarm = bob_swarm();
    const std::size_t forger = swarm[0];
    net_.at(forger).set_misbehaviour(plan(node::Misbehaviour::forge_ack));
    // The real clients' rule: a 200 is a 200. Every message the forger acknowledged is nowhere.
    int forged = 0;
    for (const auto& e : send_many(20, kNow)) {
        const auto& stored = std::get<MessageStored>(e);
        if (stored.acked_by == net_.at(forger).id()) {
            ++forged;
            EXPECT_EQ(copies(stored.hash), 0u);
        } else {
            EXPECT_EQ(copies(stored.hash), swarm.size() - 1) << "the forger keeps no copy";
        }
    }
    ASSERT_GT(forged, 0) << "the forger was never asked; pick more messages";

    ClientConfig checked;
    checked.store_ack_signatures = 2;
    make_clients(checked);
    const auto events = send_many(20, kNow + 1000);
    EXPECT_EQ(count_stored(events), 20);
    for (const auto& e : events)
        EXPECT_GE(copies(std::get<MessageStored>(e).hash), 2u);
    EXPECT_GT(alice_->counters().acks_rejected, 0u);
}

TEST_F(HostilePeers, ANodeSpoilsNothingAtProbabilityZero) {
    const std::size_t guard = [&] {
        send_many(1, kNow);
        return net_.index_of(alice_->paths().guards()[0]);
    }();
    auto p = plan(node::Misbehaviour::drop);
    p.probability = 0;
    net_.at(guard).set_misbehaviour(p);
    send_many(5, kNow + 10);
    EXPECT_EQ(net_.at(guard).misdeeds().total(), 0u);
    EXPECT_EQ(alice_->counters().timeouts, 0u);
}

}  // namespace
}  // namespace sessionsim::client
