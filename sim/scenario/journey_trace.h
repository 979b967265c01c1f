// Each direct message's journey (trace.journeys): the onion hops of the store request that was
// acknowledged and of the poll that delivered it, with the simulated time each node handled its
// layer, and when each node's store took the message in. Written to journeys.csv; the explorer
// (sessionsim explore) draws it hop by hop.
//
// A request's hops are followed as the nodes see them (the HopObserved trace): the guard gets
// the client's request id from the client's address, and each relay names the id it forwards
// under, which the next node sees from the relay's address. Only the requests that turn out to
// carry a message are kept: a client's finished request waits in one slot until its answer has
// been acted on, so memory holds the requests in flight and the journeys, never every request.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/apps/service_node_app.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

/// One onion layer a node handled: which node, when, and what it did with it.
struct JourneyHop {
    std::size_t node = 0;
    double time_s = 0;
    const char* outcome = "";  ///< node::outcome_name
};

/// When a node's store took the message in.
struct JourneyReplica {
    std::size_t node = 0;
    double time_s = 0;
};

struct Journey {
    std::vector<JourneyHop> store, poll;
    std::vector<JourneyReplica> replicas;
};

class JourneyTrace : public Feature {
public:
    explicit JourneyTrace(const Scenario& sc);
    std::string_view name() const override { return "journeys"; }
    bool active() const override { return enabled_; }

    /// Watches every service node's layers and stores.
    void install(SessionRun& run) override;
    void on_request(SessionRun& run, std::size_t client, const apps::RequestRecord& r) override;
    void on_direct_stored(SessionRun& run, MessageRecord& m,
                          const client::MessageStored& stored) override;
    bool on_received(SessionRun& run, std::size_t client, const client::MessageReceived& m,
                     std::optional<std::uint64_t> id) override;
    /// journeys.csv: message,leg,step,node,time_s,outcome with leg store | poll | replica.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

    /// The sinks of the two traces, public so that a test can hand them what it chose:
    /// `node` (a service-node index, at `node_ipv4`) handled the layer `hop`, or stored `hash`.
    void record_hop(std::size_t node, std::uint32_t node_ipv4, const apps::HopRecord& hop);
    void record_store(std::size_t node, const std::string& hash, double time_s);
    /// The clients' addresses (the guard sees them), by client index.
    void set_client_addresses(const std::vector<std::uint32_t>& ipv4);
    /// Request `request_id` of client `client` ended: its hops wait for the answer to be read.
    void request_ended(std::size_t client, std::uint64_t request_id);
    /// The request that just ended for `client` (if it is `request_id`) carried message
    /// `message`'s store acknowledgement (or its delivery, with poll): keep its hops.
    void keep_store(std::size_t client, std::uint64_t request_id, std::uint64_t message,
                    const std::string& hash);
    void keep_poll(std::size_t client, std::uint64_t request_id, std::uint64_t message);
    const std::map<std::uint64_t, Journey>& journeys() const { return journeys_; }

private:
    /// The MessageStored sink: record_store at the simulated time now.
    void stored_now(std::size_t node, const std::string& hash);

    /// A request's hops so far, with where its next hop will be seen from.
    struct OpenRequest {
        std::vector<JourneyHop> hops;
        std::optional<std::pair<std::uint32_t, std::uint64_t>> next;  ///< (from ipv4, id)
    };
    using LinkKey = std::pair<std::uint32_t, std::uint64_t>;  ///< (from ipv4, id on that link)
    struct LinkKeyHash {
        std::size_t operator()(const LinkKey& k) const {
            return std::hash<std::uint64_t>()((std::uint64_t{k.first} << 40) ^ k.second);
        }
    };
    using RequestKey = std::pair<std::size_t, std::uint64_t>;  ///< (client, its request id)

    bool enabled_;
    std::unordered_map<std::uint32_t, std::size_t> client_of_ipv4_;
    std::unordered_map<LinkKey, RequestKey, LinkKeyHash> awaited_;  ///< next hop -> request
    std::map<RequestKey, OpenRequest> open_;
    /// By client: the request that ended last, until the client has read its answer.
    std::unordered_map<std::size_t, std::pair<std::uint64_t, std::vector<JourneyHop>>> ended_;
    /// Stores of the last `kStoreWindowS` seconds by hash (a message's replicas are stored
    /// before its acknowledgement comes back), then the hashes of the journeys for later copies.
    std::unordered_map<std::string, std::vector<JourneyReplica>> recent_stores_;
    std::deque<std::pair<double, std::string>> store_order_;
    std::unordered_map<std::string, std::uint64_t> message_of_hash_;
    std::map<std::uint64_t, Journey> journeys_;
};

}  // namespace sessionsim::scenario
