// What a run records: one row per message and per onion request, and the summary computed from
// them. Pure data and statistics: no ns-3.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/client/client.h"

namespace sessionsim::scenario {

struct MessageRecord {
    std::uint64_t id = 0;
    std::size_t sender = 0, recipient = 0;  ///< client indices
    double sent_s = 0;
    std::optional<double> stored_s, delivered_s;
    std::size_t bytes = 0;
    int hops = 0;
    std::string failure;                           ///< why sending failed, if it did
    std::string hash;                              ///< the storage hash, once stored
    std::optional<std::uint64_t> recipient_swarm;  ///< the recipient's swarm at the store ack
    std::size_t swarm_up_at_store = 0;  ///< its members running then: the message's replicas
    bool acked_by_hostile = false;      ///< the "stored" answer came from a hostile node
    /// The sender's store request that was acknowledged, and the recipient's poll that
    /// delivered it: request ids of requests.csv (client = sender, then recipient).
    std::optional<std::uint64_t> store_request, poll_request;
    std::string fate;            ///< at the end of the run: see survival.h (empty: not judged)
    std::string status() const;  ///< delivered | stored | failed | pending
};

struct RequestRow {
    std::size_t client = 0;
    std::uint64_t request_id = 0;
    /// Kept as keys, written as hex: a run keeps every row until the end, and two hex strings
    /// made a row 2.5 times as large (the soak's memory grew by ~440 bytes per request).
    crypto::Ed25519PublicKey guard{}, destination{};
    double start_s = 0, end_s = 0;
    int status = 0;        ///< 0 = timed out
    std::size_t hops = 0;  ///< 0 = direct
    bool probe = false;
};

/// A number with a fixed count of decimals, as the CSV tables write them.
std::string fixed(double v, int decimals);
/// The summary's distributions: how many values, and their percentiles rounded to 0.001
/// (absent without values).
struct Distribution {
    std::size_t count = 0;
    std::optional<double> p50, p90, p99;
    nlohmann::ordered_json to_json() const;  ///< {"count", "p50", "p90", "p99"}
};
Distribution distribution_of(const std::vector<double>& values);

/// p-th percentile (0..100) by linear interpolation; nullopt for no data.
std::optional<double> percentile(std::vector<double> values, double p);

void write_messages_csv(std::ostream& out, const std::vector<MessageRecord>& messages);
void write_requests_csv(std::ostream& out, const std::vector<RequestRow>& requests);

/// What failures cost the clients: paths built and dropped (strikes), timeouts, wrong-swarm
/// replies, pool refetches, and requests and polls per client and hour.
struct ClientCosts {
    std::uint64_t paths_built = 0, paths_dropped = 0, request_timeouts = 0, wrong_swarm_replies = 0,
                  bad_replies = 0, acks_rejected = 0, pool_refreshes = 0;
    double requests_per_client_hour = 0, polls_per_client_hour = 0;  ///< rounded to 0.1
    nlohmann::ordered_json to_json() const;
};
ClientCosts measure_client_costs(const std::vector<const client::Client*>& clients,
                                 std::uint64_t pool_refreshes, double duration_s);
/// `n` events of `clients` clients over `duration_s`, per client and hour, rounded to 0.1.
double per_client_hour(std::uint64_t n, std::size_t clients, double duration_s);
/// measure_client_costs(...).to_json().
nlohmann::ordered_json client_costs(const std::vector<const client::Client*>& clients,
                                    std::uint64_t pool_refreshes, double duration_s);

/// Counts, delivery ratio, the messages' fates (survival.h), and the distributions of onion
/// request round trips and of end-to-end delivery delay (send -> received by the recipient).
struct MessageFigures {
    std::size_t sent = 0, stored = 0, delivered = 0, failed = 0;
    double delivery_ratio = 0;  ///< rounded to 1e-6
    struct Survival {
        std::size_t delivered = 0, delivered_late = 0, pending_at_end = 0, awaiting_recipient = 0,
                    lost = 0;
        double loss_ratio = 0;  ///< rounded to 1e-6
        std::map<std::string, std::size_t> lost_by_reason;
    } survival;
    /// Onion requests: not probes, not direct requests (guard tests).
    std::size_t requests = 0, requests_ok = 0, request_timeouts = 0;
    Distribution onion_rtt_ms, delivery_delay_ms;
    std::map<std::size_t, Distribution> probe_rtt_ms;  ///< by hops; 0 = direct
    /// summary.json's "messages", "survival", "onion_requests", "onion_rtt_ms",
    /// "delivery_delay_ms" and "probe_rtt_ms" blocks.
    nlohmann::ordered_json to_json() const;
};
MessageFigures measure_messages(const std::vector<MessageRecord>& messages,
                                const std::vector<RequestRow>& requests);
/// measure_messages(...).to_json().
nlohmann::ordered_json summarize(const std::vector<MessageRecord>& messages,
                                 const std::vector<RequestRow>& requests);

/// Messages sent before and during an outage [at_s, at_s + duration_s): how many were
/// delivered and their mean delivery delay, and the extra delay the outage cost (mean during
/// minus mean before) -- the numbers metrics-and-validation.md §4 compares messengers by.
struct OutageFigures {
    double at_s = 0, duration_s = 0;
    struct Window {
        std::size_t sent = 0, delivered = 0;
        double mean_delay_s = 0;            ///< rounded to 0.001
        std::optional<double> p99_delay_s;  ///< rounded to 0.001
    } before, during;
    double mean_extra_delay_s = 0;  ///< rounded to 0.001
    nlohmann::ordered_json to_json() const;
};
OutageFigures measure_outage_window(const std::vector<MessageRecord>& messages, double at_s,
                                    double duration_s);

}  // namespace sessionsim::scenario
