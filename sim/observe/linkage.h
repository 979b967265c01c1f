// Scoring what an adversary can link (metrics-and-validation.md §1.5, §1.8). The ground truth
// comes from every node's hop records joined link by link (each link's request id is known to
// its two ends), which only the simulator holds; the adversary's analyses see only the records
// of its own nodes and are scored against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

LinkageScore score_linkage(const std::vector<TrueRequest>& truth,
                           const std::vector<bool>& malicious, double window_s);

}  // namespace sessionsim::observe
