// The centralized baseline's protocol core: logins are authenticated, messages reach the
// recipient's mailbox once however often the sender retries, relays between data centres ack
// only once stored, nothing is lost across disconnects, and bad input gets a status or a closed
// connection, never a crash.
#include <gtest/gtest.h>

#include "models/central/messenger_client.h"
#include "models/central/operator_server.h"
#include "models/crypto/random.h"

namespace sessionsim::central {
namespace {

identity::Identity person(std::uint8_t n) {
    FixedBytes<32> seed;
    seed.fill(n);
    return identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(seed));
}

constexpr std::int64_t kNow = 1'700'000'000'000;

/// Messages the server addressed to `connection`, decoded.
std::vector<Message> to_client(const OperatorActions& actions, ConnectionId connection) {
    std::vector<Message> out;
    for (const auto& a : actions) {
        if (const auto* c = std::get_if<ToClient>(&a); c && c->connection == connection)
            out.push_back(decode(c->bytes));
    }
    return out;
}

bool closes(const OperatorActions& actions, ConnectionId connection) {
    return std::any_of(actions.begin(), actions.end(), [&](const OperatorAction& a) {
        const auto* c = std::get_if<CloseClient>(&a);
        return c && c->connection == connection;
    });
}

/// Feeds a client's ToOperator events to the server on `connection`.
OperatorActions deliver(OperatorServer& server, ConnectionId connection,
                        const MessengerEvents& events, std::int64_t now = kNow) {
    OperatorActions out;
    for (const auto& e : events) {
        if (const auto* b = std::get_if<ToOperator>(&e)) {
            auto a = server.on_client(connection, 0x14000001, b->bytes, now);
            out.insert(out.end(), a.begin(), a.end());
        }
    }
    return out;
}

/// Feeds the server's replies for `connection` to `client`.
MessengerEvents answer(MessengerClient& client, const OperatorActions& actions,
                       ConnectionId connection) {
    MessengerEvents out;
    for (const auto& a : actions) {
        if (const auto* c = std::get_if<ToClient>(&a); c && c->connection == connection) {
            auto e = client.on_bytes(c->bytes, kNow);
            out.insert(out.end(), e.begin(), e.end());
        }
    }
    return out;
}

template <typename T>
std::size_t count(const MessengerEvents& events) {
    return static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [](const auto& e) { return std::holds_alternative<T>(e); }));
}

TEST(OperatorProtocol, EveryMessageRoundTripsAndGarbageIsRejected) {
    const Message m = Relay{2, "05aa", "05bb", 7, Bytes{1, 2, 3}};
    EXPECT_EQ(encode(decode(encode(m))), encode(m));
    EXPECT_THROW(decode("not bencode"), InvalidInput);
    EXPECT_THROW(decode("d1:t1:Xe"), InvalidInput);           // unknown type
    EXPECT_THROW(decode("d1:i1:x1:t1:Se"), InvalidInput);     // id not an integer
    EXPECT_THROW(decode("d1:s i999e1:t1:le"), InvalidInput);  // malformed
    EXPECT_THROW(decode("d1:si999e1:t1:le"), InvalidInput);   // not an HTTP status
}

TEST(OperatorServer, DeliversToAnOnlineRecipientAndKeepsForAnOfflineOne) {
    crypto::SeededRandom random(1, "central test");
    MessengerClient alice(person(1), random), bob(person(2), random);
    std::vector<OperatorRecord> log;
    OperatorServer dc(0, [](const std::string&) { return std::size_t{0}; });
    dc.set_observer([&](const OperatorRecord& r) { log.push_back(r); });

    ASSERT_EQ(to_client(deliver(dc, 1, alice.on_connected(kNow)), 1).size(), 1u);  // LoginAck
    auto [id, events] = alice.send_text(bob.identity().session_id(), "hi bob", kNow);
    auto actions = deliver(dc, 1, events);
    EXPECT_EQ(count<client::MessageStored>(answer(alice, actions, 1)), 1u);
    EXPECT_EQ(dc.stored(), 1u);  // bob is offline: it waits

    // What the operator learned: everything but the content.
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].sender, alice.identity().session_id().to_hex());
    EXPECT_EQ(log[0].recipient, bob.identity().session_id().to_hex());
    EXPECT_EQ(log[0].sender_ip, 0x14000001u);
    EXPECT_EQ(log[0].id, id);

    // Bob logs in: the message arrives, decrypts, and his ack empties the mailbox.
    const auto login = deliver(dc, 2, bob.on_connected(kNow));
    const auto got = answer(bob, login, 2);
    ASSERT_EQ(count<client::MessageReceived>(got), 1u);
    for (const auto& e : got) {
        if (const auto* r = std::get_if<client::MessageReceived>(&e)) {
            EXPECT_EQ(r->message.text, "hi bob");
            EXPECT_EQ(r->message.sender, alice.identity().session_id());
        }
    }
    deliver(dc, 2, got);
    EXPECT_EQ(dc.stored(), 0u);

    // Online now, bob gets the next one pushed at once.
    auto [id2, more] = alice.send_text(bob.identity().session_id(), "again", kNow);
    EXPECT_EQ(count<client::MessageReceived>(answer(bob, deliver(dc, 1, more), 2)), 1u);
}

TEST(OperatorServer, RetriesAreStoredOnceAndAnOutageLosesNothing) {
    crypto::SeededRandom random(2, "central test");
    MessengerClient alice(person(1), random), bob(person(2), random);
    OperatorServer dc(0, [](const std::string&) { return std::size_t{0}; });
    deliver(dc, 1, alice.on_connected(kNow));
    auto [id, events] = alice.send_text(bob.identity().session_id(), "x", kNow);
    deliver(dc, 1, events);  // stored, but the ack never reaches alice
    dc.on_outage();          // the data centre goes dark; its mailboxes are on disk
    alice.on_disconnected();
    EXPECT_EQ(alice.outbox_size(), 1u);
    // Alice reconnects and resends: stored once, and now she hears about it.
    const auto again = deliver(dc, 3, alice.on_connected(kNow + 60'000), kNow + 60'000);
    EXPECT_EQ(count<client::MessageStored>(answer(alice, again, 3)), 1u);
    EXPECT_EQ(alice.outbox_size(), 0u);
    EXPECT_EQ(dc.stored(), 1u);
    EXPECT_TRUE(
        dc.holds(bob.identity().session_id().to_hex(), alice.identity().session_id().to_hex(), id));
    // Messages past the retention go.
    EXPECT_EQ(dc.expire(kNow + 31LL * 86'400'000), 1u);
    EXPECT_EQ(dc.stored(), 0u);
}

TEST(OperatorServer, RelaysToTheRecipientsDataCentreAndAcksOnlyOnceStoredThere) {
    crypto::SeededRandom random(3, "central test");
    MessengerClient alice(person(1), random), bob(person(2), random);
    const std::string bob_account = bob.identity().session_id().to_hex();
    const auto home = [bob_account](const std::string& a) {
        return a == bob_account ? std::size_t{1} : std::size_t{0};
    };
    OperatorServer eu(0, home), us(1, home);
    deliver(eu, 1, alice.on_connected(kNow));
    auto [id, events] = alice.send_text(bob.identity().session_id(), "far", kNow);
    const auto sent = deliver(eu, 1, events);
    EXPECT_TRUE(to_client(sent, 1).empty());  // no ack yet
    ASSERT_EQ(sent.size(), 1u);
    const auto& relay = std::get<ToDatacentre>(sent[0]);
    EXPECT_EQ(relay.datacentre, 1u);
    const auto stored = us.on_datacentre(relay.bytes, kNow);
    EXPECT_EQ(us.stored(), 1u);
    const auto& ack = std::get<ToDatacentre>(stored.back());
    EXPECT_EQ(ack.datacentre, 0u);
    EXPECT_EQ(count<client::MessageStored>(answer(alice, eu.on_datacentre(ack.bytes, kNow), 1)),
              1u);
}

TEST(OperatorServer, RefusesForgedLoginsWrongDataCentresAndGarbage) {
    crypto::SeededRandom random(4, "central test");
    MessengerClient alice(person(1), random);
    OperatorServer dc(0, [](const std::string&) { return std::size_t{0}; });
    OperatorServer other(1, [](const std::string&) { return std::size_t{0}; });
    const auto login_bytes = std::get<ToOperator>(alice.on_connected(kNow)[0]).bytes;
    auto login = std::get<Login>(decode(login_bytes));

    auto forged = login;
    forged.signature[0] ^= 1;
    auto actions = dc.on_client(1, 0, encode(forged), kNow);
    EXPECT_EQ(std::get<LoginAck>(to_client(actions, 1)[0]).status, 401);
    EXPECT_TRUE(closes(actions, 1));

    auto someone_else = login;
    someone_else.account = person(9).session_id().to_hex();
    EXPECT_EQ(
        std::get<LoginAck>(to_client(dc.on_client(2, 0, encode(someone_else), kNow), 2)[0]).status,
        401);
    EXPECT_EQ(std::get<LoginAck>(to_client(dc.on_client(3, 0, login_bytes, kNow + 3'600'000), 3)[0])
                  .status,
              406);  // clock skew
    EXPECT_EQ(std::get<LoginAck>(to_client(other.on_client(4, 0, login_bytes, kNow), 4)[0]).status,
              421);  // not this account's data centre
    EXPECT_TRUE(closes(dc.on_client(5, 0, "garbage", kNow), 5));
    // A send before logging in.
    const auto send = encode(Send{1, "05" + std::string(64, '0'), Bytes{1}});
    EXPECT_EQ(std::get<LoginAck>(to_client(dc.on_client(6, 0, send, kNow), 6)[0]).status, 401);
    EXPECT_EQ(dc.stored(), 0u);
    EXPECT_EQ(dc.online(), 0u);
}

}  // namespace
}  // namespace sessionsim::central
