// Guard tests: a new guard is tried (a direct get_swarm or a connection check) before its path
// carries requests; what waited for a path goes once one passes.
#include "models/client/client.h"

#include <algorithm>
#include <utility>

#include "models/common/base64.h"
#include "models/common/json_fields.h"
#include "models/onion/response.h"

namespace sessionsim::client {

using nlohmann::json;

void Client::start_guard_tests(ClientEvents& events) {
    for (const auto& guard : paths_.take_guards_to_test()) {
        json rpc{{"method", "info"}, {"params", json::object()}};
        if (config_.guard_test == ClientConfig::GuardTest::get_swarm)
            rpc = {{"method", "get_swarm"},
                   {"params", {{"pubkey", identity_.session_id().to_hex()}}}};
        const std::uint64_t id = next_id_++;
        in_flight_.emplace(id, InFlight{Kind::guard_test,
                                        {},
                                        guard,
                                        std::nullopt,
                                        identity_.session_id(),
                                        0,
                                        false,
                                        false});
        ++counters_.guard_tests;
        events.push_back(SendDirect{id, guard, rpc.dump(), config_.guard_test_timeout_ms, false});
    }
}

ClientEvents Client::on_guard_test(const InFlight& f, const std::optional<node::WireReply>& reply,
                                   std::int64_t now) {
    ClientEvents events;
    bool passed = reply && reply->status == 200;
    if (passed && config_.guard_test == ClientConfig::GuardTest::get_swarm)
        passed = !SwarmCache::parse_snodes(json::parse(reply->body, nullptr, false)).empty();
    if (passed) {
        paths_.guard_test_passed(f.destination.ed25519, now);
    } else {
        ++counters_.guard_tests_failed;
        if (!paths_.guard_test_failed(f.destination.ed25519, random_, now) &&
            paths_.paths().empty()) {
            for (auto& w : std::exchange(waiting_, {})) {  // no path is coming
                if (w.inbox_poll)
                    --inbox_poll_.in_flight;
                w.give_up(events);
            }
            return events;
        }
        start_guard_tests(events);
    }
    if (!paths_.paths().empty()) {  // a path is ready: what waited for one goes now
        for (auto& w : std::exchange(waiting_, {})) {
            if (w.inbox_poll)
                --inbox_poll_.in_flight;
            w.resume(events, now);
        }
    }
    return events;
}

}  // namespace sessionsim::client
