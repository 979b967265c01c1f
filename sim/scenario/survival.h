// What became of each message by the end of a run, and why the lost ones were lost. The runner
// gathers the facts (who still holds a copy, whether those nodes are up and in the recipient's
// current swarm); the classification is here, pure, so that it can be tested on its own.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// Where copies of a stored message are at the end of the run.
struct Holders {
    std::size_t up_in_swarm = 0;     ///< running members of the recipient's current swarm
    std::size_t up_elsewhere = 0;    ///< running nodes outside it (old swarm, not re-synced)
    std::size_t down = 0;            ///< crashed nodes that keep a copy on disk
    bool recipient_offline = false;  ///< the recipient has not polled since the store

    /// One node found holding a copy.
    void count(bool running, bool in_recipients_swarm) {
        if (!running)
            ++down;
        else
            ++(in_recipients_swarm ? up_in_swarm : up_elsewhere);
    }
};

struct SurvivalRules {
    double end_s = 0;             ///< when the run stopped
    double ttl_s = 0;             ///< message lifetime at the storage nodes
    double late_after_s = 60;     ///< a delivery slower than this is "delivered_late"
    double pending_window_s = 0;  ///< undelivered messages sent this close to the end: pending
};

/// The rules a run of `sc` ending at `end_s` is judged by. A message sent within two of the
/// slowest polls (plus every send attempt timing out) of the end may still be fetched: pending,
/// not lost.
SurvivalRules survival_rules(const Scenario& sc, double end_s, double slowest_poll_s);

/// Why an undelivered message is lost; its fate reads "lost: <reason>".
enum LossReason : std::size_t {
    kClientGaveUp,        ///< the sender reported failure
    kNeverStored,         ///< no store was acknowledged, and the sender did not give up
    kTtlExpired,          ///< stored, but the TTL ran out before the recipient got it
    kNotRetrieved,        ///< a copy is on a live member of the recipient's swarm
    kResyncNotFinished,   ///< copies only on live nodes outside the recipient's swarm
    kWholeSwarmDown,      ///< copies only on crashed nodes
    kEveryCopyDestroyed,  ///< no copy anywhere
};
inline constexpr std::array<std::string_view, 7> kLossReasons{
    "client gave up",       "never stored",     "TTL expired",         "not retrieved",
    "re-sync not finished", "whole swarm down", "every copy destroyed"};

/// "delivered", "delivered_late", "pending" (sent too close to the end to judge),
/// "awaiting_recipient" (a live swarm member holds it for a recipient still offline), or
/// "lost: " + a kLossReasons entry.
std::string message_fate(const MessageRecord& m, const Holders& holders, const SurvivalRules& r);

}  // namespace sessionsim::scenario
