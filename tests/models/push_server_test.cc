// The push server's swarm subscriptions: a new subscriber is monitored at once, renewed every
// kResubscribeMs, and a re-subscription starts the clock again; bad requests change nothing.
#include <gtest/gtest.h>

#include "models/crypto/ed25519.h"
#include "models/identity/keys.h"
#include "models/push/push_server.h"

namespace sessionsim::push {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

onion::V4Request subscribe_request(std::uint8_t who, std::int64_t now_ms) {
    FixedBytes<32> seed{};
    seed.fill(who);
    const auto id = identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(seed));
    Subscribe s;
    s.monitor.account = id.session_id();
    s.monitor.session_ed25519 = id.ed25519().public_key;
    s.monitor.namespaces = {0};
    s.monitor.data = true;
    s.monitor.sig_ts_s = now_ms / 1000;
    s.monitor.signature =
        crypto::ed25519_sign(id.ed25519().secret_key,
                             as_bytes(monitor_signed_string(s.monitor.account, s.monitor.sig_ts_s,
                                                            true, s.monitor.namespaces)));
    s.service = "apns";
    s.token = std::string(64, static_cast<char>('a' + who % 6));
    return {"POST", "/subscribe", nlohmann::json::object(), s.to_json().dump()};
}

TEST(PushServer, MonitorsANewSubscriberAtOnceThenEveryResubscribePeriod) {
    PushServer server(1);
    ASSERT_EQ(server.handle(subscribe_request(1, kNow), kNow).code, 200);
    ASSERT_EQ(server.handle(subscribe_request(2, kNow), kNow + 1000).code, 200);
    EXPECT_EQ(server.monitors_due(kNow + 1000).size(), 2u);
    EXPECT_TRUE(server.monitors_due(kNow + 2000).empty());
    EXPECT_TRUE(server.monitors_due(kNow + 1000 + kResubscribeMs - 1).empty());
    EXPECT_EQ(server.monitors_due(kNow + 1000 + kResubscribeMs).size(), 2u);
}

TEST(PushServer, AResubscriptionIsMonitoredAtOnceAndOnlyOnce) {
    PushServer server(1);
    ASSERT_EQ(server.handle(subscribe_request(1, kNow), kNow).code, 200);
    ASSERT_EQ(server.monitors_due(kNow).size(), 1u);
    const std::int64_t later = kNow + 60'000;
    ASSERT_EQ(server.handle(subscribe_request(1, later), later).code, 200);
    EXPECT_EQ(server.monitors_due(later).size(), 1u);
    // The renewal the first subscription had scheduled is superseded, not sent as well.
    EXPECT_TRUE(server.monitors_due(kNow + kResubscribeMs).empty());
    EXPECT_EQ(server.monitors_due(later + kResubscribeMs).size(), 1u);
}

TEST(PushServer, ABadSignatureIsRefusedAndSchedulesNothing) {
    PushServer server(1);
    auto request = subscribe_request(1, kNow);
    auto body = nlohmann::json::parse(*request.body);
    body["sig_ts"] = body["sig_ts"].get<std::int64_t>() + 1;  // no longer what was signed
    request.body = body.dump();
    const auto reply = server.handle(request, kNow);
    EXPECT_EQ(reply.code, 400);
    EXPECT_NE(reply.body.find("Invalid signature"), std::string::npos);
    EXPECT_TRUE(server.subscriptions().empty());
    EXPECT_TRUE(server.monitors_due(kNow + kResubscribeMs).empty());
}

}  // namespace
}  // namespace sessionsim::push
