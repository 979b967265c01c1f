// The workload every Session run has: one-to-one messages between the clients, planned from
// the scenario (plan_messages in run_support.h) and sent at their times. Each message's record
// lives in run.messages; other features may take a send over (attachments) or act before it
// (the daily behaviour opens the app to write).
#pragma once

#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class DirectMessages : public Feature {
public:
    explicit DirectMessages(const Scenario& sc);
    std::string_view name() const override { return "direct messages"; }
    bool active() const override { return true; }
    void schedule(SessionRun& run) override;

private:
    std::size_t bytes_;  ///< workload.message_bytes
};

/// Sends message `id`: the features' on_send hooks in registry order, then the sender's own
/// SendText if none of them took it. Records the app's id for the message.
void send_direct_message(SessionRun& run, std::size_t sender, std::size_t recipient,
                         std::uint64_t id, std::size_t bytes);

}  // namespace sessionsim::scenario
