// Scoring what an adversary can link (metrics-and-validation.md §1.5, §1.8). The ground truth
// comes from every node's hop records joined link by link (each link's request id is known to
// its two ends), which only the simulator holds; the adversary's analyses see only the records
// of its own nodes and are scored against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/metrics/anonymity.h"

namespace sessionsim::observe {

/// One onion layer as a node handled it (the simulator-wide form of apps::HopRecord).
struct Hop {
    double time_s = 0;
    std::size_t node = 0;       ///< the handling node
    std::uint32_t from_ip = 0;  ///< the address it came from
    std::uint64_t request_id = 0;
    bool from_client = false;
    std::optional<std::size_t> next;  ///< forwarded to this node
    std::uint64_t forwarded_as = 0;
    bool executed = false;  ///< the destination: it ran the request
    std::string method, account;
};

/// One client request end to end: its guard's layer and its destination's.
struct TrueRequest {
    std::uint32_t client_ip = 0;
    std::size_t guard = 0, destination = 0;
    std::optional<std::size_t> last_relay;  ///< the hop before the destination (it learns it)
    double guard_time_s = 0, destination_time_s = 0;
    std::string method, account;
};

/// Joins the hops of every node into requests, from the guard to the destination; requests whose
/// chain breaks (a hop lost to a failure) are left out. `node_ip[i]` is node i's address.
std::vector<TrueRequest> trace_requests(const std::vector<Hop>& hops,
                                        const std::vector<std::uint32_t>& node_ip);

struct LinkageScore {
    std::size_t requests = 0;    ///< traced client requests
    std::size_t positioned = 0;  ///< malicious guard and malicious destination
    /// The windowed timing correlator over (guard observation, destination observation) pairs
    /// of the adversary's own nodes: a pair is called linked when the destination saw a request
    /// at most `window_s` after the guard saw one.
    double window_s = 0;
    std::size_t true_pairs = 0, called = 0, called_true = 0, candidate_pairs = 0;
    double tpr() const { return true_pairs ? double(called_true) / double(true_pairs) : 0; }
    double fpr() const {
        const auto negatives = candidate_pairs - true_pairs;
        return negatives ? double(called - called_true) / double(negatives) : 0;
    }
    double precision() const { return called ? double(called_true) / double(called) : 0; }
    /// Best single guess per destination observation (the latest guard observation in the
    /// window): how often it names the true sender.
    std::size_t guesses = 0, guesses_right = 0;
};

/// What the adversary learns about the recipient of each store (§1.5): its nodes identify the
/// account at the destination; a malicious last relay learns the destination node, so the
/// recipient up to its swarm; otherwise nothing.
struct RecipientExposure {
    std::size_t stores = 0, identified = 0, swarm_known = 0, hidden = 0;
};
RecipientExposure recipient_exposure(const std::vector<TrueRequest>& truth,
                                     const std::vector<bool>& malicious);

/// Which ends of each traced request an observer sees, one flag per request: the entry (the
/// client's packets reaching its guard: its address and the time) and the exit (the request
/// reaching its destination: the time, the destination node, and the account as well when the
/// observer runs that node).
struct Sightings {
    std::vector<bool> entry, exit;
};
/// A coalition of service nodes sees the entry of the requests whose guard it runs and the exit
/// of those whose destination it runs.
Sightings node_sightings(const std::vector<TrueRequest>& truth, const std::vector<bool>& malicious);

LinkageScore score_linkage(const std::vector<TrueRequest>& truth, const Sightings& seen,
                           double window_s);
LinkageScore score_linkage(const std::vector<TrueRequest>& truth,
                           const std::vector<bool>& malicious, double window_s);

/// The observer's view of who sent each request whose exit it saw: the client address of the
/// latest sighting at its guards in the `window_s` before (its best guess), and how many
/// distinct client addresses it saw enter in that window (the candidates timing leaves).
struct SenderGuess {
    std::size_t request = 0;  ///< index into the truth
    std::optional<std::uint32_t> guess;
    std::size_t candidates = 0;
};
std::vector<SenderGuess> guess_senders(const std::vector<TrueRequest>& truth, const Sightings& seen,
                                       double window_s);

/// Sender anonymity of one message store (§1.3, §1.5), as the adversary's nodes leave it: when
/// they executed the store (so they know the recipient) and their guards saw k clients enter in
/// the window before, the posterior is uniform over those k (set size k, H = log2 k, 2^H = k,
/// min-entropy log2 k); otherwise uniform over every client. The store is *linked* when the
/// adversary knows the recipient and its best guess is the true sender.
struct StoreAnonymity {
    std::size_t request = 0;  ///< index into the truth
    std::optional<std::uint32_t> guess;
    bool linked = false;
    metrics::Anonymity sender;  ///< degree normalised over all clients
};
std::vector<StoreAnonymity> store_anonymity(const std::vector<TrueRequest>& truth,
                                            const std::vector<bool>& malicious, double window_s,
                                            std::size_t clients);

/// Over the stores: the linkage rate, the mean sender metrics, and the social graph -- the
/// (sender address, recipient account) pairs with a store, an edge recovered when at least one
/// of its stores is linked.
struct RelationshipScore {
    std::size_t stores = 0, linked = 0, edges = 0, edges_recovered = 0;
    double mean_set_size = 0, mean_entropy_bits = 0, mean_effective_size = 0,
           mean_min_entropy_bits = 0, mean_degree = 0;
};
RelationshipScore score_relationships(const std::vector<TrueRequest>& truth,
                                      const std::vector<StoreAnonymity>& stores);

}  // namespace sessionsim::observe
