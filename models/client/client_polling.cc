// When the own inbox is polled (a fixed clock, or from the end of the previous poll with retry
// delays), and the poll itself: which members are asked, one batch of retrieves each.
#include "models/client/client.h"

#include <algorithm>
#include <utility>

#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/onion/response.h"

namespace sessionsim::client {

using nlohmann::json;

bool Client::polls_after_completion() const {
    // A phone's background fetch runs on the OS's clock, whatever the app's foreground rule.
    return config_.poll_schedule == ClientConfig::PollSchedule::after_completion && !background_;
}

void Client::close_inbox_poll(std::int64_t now) {
    inbox_poll_.open = false;
    if (inbox_poll_.answered) {
        inbox_poll_.failures = 0;
        next_poll_ms_ = now + config_.poll_interval_ms;
        return;
    }
    ++counters_.polls_failed;
    ++inbox_poll_.failures;
    const std::int64_t delay =
        config_.poll_retry_first_ms +
        static_cast<std::int64_t>(inbox_poll_.failures - 1) * config_.poll_retry_step_ms;
    next_poll_ms_ = now + std::min(delay, config_.poll_retry_max_ms);
}

std::int64_t Client::next_poll_ms() const {
    std::int64_t next = next_poll_ms_;
    for (const auto& [account, g] : groups_)
        next = std::min(next, g.next_poll_ms);
    return next;
}

ClientEvents Client::poll(std::int64_t now) {
    ClientEvents events;
    if (!time_checked_)
        check_time(now, events);  // info_median: the first request learns the network's time
    if (now >= next_poll_ms_) {
        ++counters_.polls;
        poll_state_.prune(now);
        if (polls_after_completion()) {
            next_poll_ms_ = kNoPollScheduled;  // set when this poll ends
            inbox_poll_.open = true;
            inbox_poll_.answered = false;
            auto polled = poll_account(identity_.session_id(), now);
            events.insert(events.end(), polled.begin(), polled.end());
            if (inbox_poll_.in_flight == 0)
                close_inbox_poll(now);  // nothing could be sent: a failed poll
        } else {
            next_poll_ms_ = now + (background_ ? config_.background_poll_interval_ms
                                               : config_.poll_interval_ms);
            auto polled = poll_account(identity_.session_id(), now);
            events.insert(events.end(), polled.begin(), polled.end());
        }
    }
    for (auto& [account, g] : groups_) {
        if (now < g.next_poll_ms)
            continue;
        g.next_poll_ms = now + (background_ ? config_.background_poll_interval_ms
                                            : group_poll_interval_ms(now, g.last_activity_ms));
        ++counters_.polls;
        auto more = poll_account(account, now);
        events.insert(events.end(), more.begin(), more.end());
    }
    return events;
}

ClientEvents Client::poll_account(const identity::AccountId& account, std::int64_t now) {
    const auto members = swarms_.usable(account);
    if (!members)
        return fetch_swarm(account, 0, true, now);
    return poll_swarm(account, *members, now);
}

}  // namespace sessionsim::client
