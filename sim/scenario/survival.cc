#include "sim/scenario/survival.h"

namespace sessionsim::scenario {

std::string message_fate(const MessageRecord& m, const Holders& h, const SurvivalRules& r) {
    if (m.delivered_s)
        return *m.delivered_s - m.sent_s > r.late_after_s ? "delivered_late" : "delivered";
    if (!m.failure.empty())
        return "lost: client gave up";
    if (m.sent_s > r.end_s - r.pending_window_s)
        return "pending";
    if (!m.stored_s)
        return "lost: never stored";
    if (*m.stored_s + r.ttl_s < r.end_s)
        return "lost: TTL expired";
    if (h.up_in_swarm > 0)
        return "lost: not retrieved";  // a copy was there to poll: the recipient missed it
    if (h.up_elsewhere > 0)
        return "lost: re-sync not finished";
    if (h.down > 0)
        return "lost: whole swarm down";
    return "lost: every copy destroyed";
}

}  // namespace sessionsim::scenario
