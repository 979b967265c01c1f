#include "sim/scenario/direct_messages.h"

#include "sim/scenario/behaviour.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

DirectMessages::DirectMessages(const Scenario& sc)
    : bytes_(static_cast<std::size_t>(sc.integer("workload.message_bytes"))) {}

void DirectMessages::schedule(SessionRun& run) {
    crypto::SeededRandom workload_random(run.seed, "workload");
    schedule_messages(
        run.sc, run.offline, run.path_length, workload_random, run.messages,
        [&run, bytes = bytes_](std::size_t c, std::size_t to, std::uint64_t id) {
            send_direct_message(run, c, to, id, bytes);
        },
        run.feature<DailyBehaviour>());
}

void send_direct_message(SessionRun& run, std::size_t sender, std::size_t recipient,
                         std::uint64_t id, std::size_t bytes) {
    for (const auto& f : run.features) {
        if (f->on_send(run, sender, recipient, id))
            return;
    }
    const auto to = run.clients[recipient]->Client().identity().session_id();
    const auto app_id = run.clients[sender]->SendText(to, message_text(id, bytes));
    run.message_index[sender][app_id] = id;
}

}  // namespace sessionsim::scenario
