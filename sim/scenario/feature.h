// One optional part of a Session run -- an adversary, hostile nodes, a workload, push, daily
// behaviour, a metric -- behind one interface, so that the runner is a loop over the scenario's
// features instead of a function that wires each by hand.
//
// A run calls the hooks of its *active* features in the order of the registry
// (feature_registry.cc), phase by phase:
//
//   place            hosts of its own (servers outside the Session network), after the clients
//   install          once the service nodes' apps exist: servers, node hooks, observers
//   configure_client each client app, before it joins its node
//   schedule         once every client exists: the events the feature drives
//   -- the event loop: on_send, on_request, on_stored, on_direct_stored, on_received as they
//      happen --
//   finish           the event loop has stopped; the messages are not judged yet
//   summarize        its blocks of summary.json, console lines and run-table cells (the
//                    messages are judged)
//   write            its tables in the results folder
//
// Every hook has a default that does nothing, so a feature implements only its phases. The
// order matters where features draw the same random stream or schedule events at the same
// simulated instant: the registry keeps the order in which the first version wired them, so
// that results are byte-identical across the change (scripts/compare-results.sh).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "models/client/client.h"
#include "sim/scenario/run_report.h"

namespace sessionsim::apps {
class ClientApp;
struct RequestRecord;
}  // namespace sessionsim::apps

namespace sessionsim::scenario {

struct SessionRun;
struct MessageRecord;

class Feature {
public:
    virtual ~Feature() = default;

    /// A short name for messages and the architecture page ("adversary", "push", ...).
    virtual std::string_view name() const = 0;
    /// Whether the scenario turns this feature on; an inactive feature gets no other call.
    virtual bool active() const = 0;

    /// Appends its own hosts to run.hosts (they follow the clients, in registry order).
    virtual void place(SessionRun&) {}
    /// The service nodes' apps exist (run.service_hosts), clients do not yet.
    virtual void install(SessionRun&) {}
    /// Client `client`'s app is configured; it joins its node after this call.
    virtual void configure_client(SessionRun&, std::size_t /*client*/, apps::ClientApp&) {}
    /// Every client exists (run.clients): schedule what the feature drives.
    virtual void schedule(SessionRun&) {}

    /// The workload is about to send message `id` from `sender` to `recipient`. Return true if
    /// this feature sent it (the runner then sends nothing); the first feature to do so wins.
    virtual bool on_send(SessionRun&, std::size_t /*sender*/, std::size_t /*recipient*/,
                         std::uint64_t /*id*/) {
        return false;
    }
    /// A client's request ended (answered or timed out): called before the client acts on the
    /// answer, so a store acknowledgement or a delivery it carries comes after this call.
    virtual void on_request(SessionRun&, std::size_t /*client*/, const apps::RequestRecord&) {}
    /// A client's message (direct or group) was acknowledged as stored.
    virtual void on_stored(SessionRun&, std::size_t /*client*/, const client::MessageStored&) {}
    /// The stored message is one of the workload's direct messages: its record, updated.
    virtual void on_direct_stored(SessionRun&, MessageRecord&, const client::MessageStored&) {}
    /// A client received a message; `id` is the workload's message id if its text carries one.
    /// Return true to consume it (the runner then does not count it as a direct delivery).
    virtual bool on_received(SessionRun&, std::size_t /*client*/, const client::MessageReceived&,
                             std::optional<std::uint64_t> /*id*/) {
        return false;
    }

    /// The event loop has stopped.
    virtual void finish(SessionRun&) {}
    /// Reports what it measured (run_report.h): its blocks of report.summary (the runner's own
    /// blocks are already there), its console lines and its run-table cells, from its own
    /// typed values.
    virtual void summarize(const SessionRun&, RunReport& /*report*/) {}
    /// Writes its tables into `dir`, which exists.
    virtual void write(const SessionRun&, const std::filesystem::path& /*dir*/) const {}
};

}  // namespace sessionsim::scenario
