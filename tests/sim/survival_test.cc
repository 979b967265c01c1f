// Message fates: each loss reason from the facts the runner gathers.
#include <gtest/gtest.h>

#include "sim/scenario/survival.h"

namespace sessionsim::scenario {
namespace {

const SurvivalRules kRules{.end_s = 1000, .ttl_s = 600, .late_after_s = 60, .pending_window_s = 40};

MessageRecord stored_at(double sent, double stored) {
    MessageRecord m;
    m.sent_s = sent;
    m.stored_s = stored;
    m.hash = "h";
    return m;
}

TEST(Survival, DeliveredOnTimeOrLate) {
    auto m = stored_at(100, 101);
    m.delivered_s = 105;
    EXPECT_EQ(message_fate(m, {}, kRules), "delivered");
    m.delivered_s = 300;
    EXPECT_EQ(message_fate(m, {}, kRules), "delivered_late");
}

TEST(Survival, EachLossHasItsReason) {
    auto gave_up = stored_at(100, 0);
    gave_up.stored_s.reset();
    gave_up.failure = "gave up after 3 attempts";
    EXPECT_EQ(message_fate(gave_up, {}, kRules), "lost: client gave up");
    auto never = gave_up;
    never.failure.clear();
    EXPECT_EQ(message_fate(never, {}, kRules), "lost: never stored");
    EXPECT_EQ(message_fate(stored_at(100, 101), {}, kRules), "lost: TTL expired");
    const auto m = stored_at(500, 501);
    EXPECT_EQ(message_fate(m, {.up_in_swarm = 1}, kRules), "lost: not retrieved");
    EXPECT_EQ(message_fate(m, {.up_elsewhere = 2}, kRules), "lost: re-sync not finished");
    EXPECT_EQ(message_fate(m, {.down = 7}, kRules), "lost: whole swarm down");
    EXPECT_EQ(message_fate(m, {}, kRules), "lost: every copy destroyed");
}

TEST(Survival, RecentMessagesArePendingNotLost) {
    auto m = stored_at(970, 971);
    EXPECT_EQ(message_fate(m, {}, kRules), "pending");
}

TEST(Survival, AnOfflineRecipientsMessageWaitsWhileACopyLives) {
    const auto m = stored_at(500, 501);
    EXPECT_EQ(message_fate(m, {.up_in_swarm = 2, .recipient_offline = true}, kRules),
              "awaiting_recipient");
    // Offline or not, a message with no live copy in the swarm is lost.
    EXPECT_EQ(message_fate(m, {.down = 3, .recipient_offline = true}, kRules),
              "lost: whole swarm down");
    EXPECT_EQ(message_fate(m, {.recipient_offline = true}, kRules), "lost: every copy destroyed");
}

}  // namespace
}  // namespace sessionsim::scenario
