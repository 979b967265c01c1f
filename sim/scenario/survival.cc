#include "sim/scenario/survival.h"

#include "sim/scenario/client_settings.h"

namespace sessionsim::scenario {

namespace {
std::string lost(LossReason reason) {
    return "lost: " + std::string(kLossReasons[reason]);
}
}  // namespace

SurvivalRules survival_rules(const Scenario& sc, double end_s, double slowest_poll_s) {
    return {.end_s = end_s,
            .ttl_s = sc.number("client.message_ttl_s"),
            .late_after_s = sc.number("metrics.late_after_s"),
            .pending_window_s =
                2 * slowest_poll_s + largest_client_value(sc, "client.request_timeout_s") *
                                         static_cast<double>(sc.integer("client.send_attempts"))};
}

std::string message_fate(const MessageRecord& m, const Holders& h, const SurvivalRules& r) {
    if (m.delivered_s)
        return *m.delivered_s - m.sent_s > r.late_after_s ? "delivered_late" : "delivered";
    if (!m.failure.empty())
        return lost(kClientGaveUp);
    if (m.sent_s > r.end_s - r.pending_window_s)
        return "pending";
    if (!m.stored_s)
        return lost(kNeverStored);
    if (*m.stored_s + r.ttl_s < r.end_s)
        return lost(kTtlExpired);
    if (h.up_in_swarm > 0 && h.recipient_offline)
        return "awaiting_recipient";
    if (h.up_in_swarm > 0)
        return lost(kNotRetrieved);  // a copy was there to poll: the recipient missed it
    if (h.up_elsewhere > 0)
        return lost(kResyncNotFinished);
    if (h.down > 0)
        return lost(kWholeSwarmDown);
    return lost(kEveryCopyDestroyed);
}

}  // namespace sessionsim::scenario
