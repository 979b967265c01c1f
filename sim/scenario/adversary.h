// The run's adversary: the service nodes it runs (adversary.fraction, adversary.placement) and
// what they saw -- each onion layer they handled, from the HopObserved trace, written to
// observations.csv exactly as the nodes had it (addresses, next hops, decrypted requests). The
// summary sets the adversary's position against the ground truth: how many of the clients'
// requests had a malicious guard and a malicious destination, beside m(m-1)/(N(N-1)) (§1.6),
// and how well a timing correlator over its own records links senders to requests (§1.8).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/placement.h"
#include "sim/observe/linkage.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class Adversary {
public:
    /// Draws the adversary's nodes among `nodes` (the service nodes present at the start).
    /// Throws ScenarioError naming the key for a placement that is not understood or possible.
    Adversary(const Scenario& sc, const std::vector<net::PlacedHost>& nodes,
              crypto::RandomSource& random);

    bool active() const { return count_ > 0; }
    const std::vector<bool>& nodes() const { return bad_; }

    /// Records what `apps[i]` (at address `ips[i]`) sees, for each adversary node i, and every
    /// node's hops as the ground truth the linkage scores are computed against.
    void watch(const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps,
               std::vector<std::uint32_t> ips);

    void write_observations_csv(std::ostream& out) const;
    /// Counts, the positions the adversary held over the clients' requests, what it learned of
    /// the recipients, and how well its timing correlator links senders.
    /// `clients` accounts spread over `swarms` swarms give the recipient entropy of a store
    /// whose recipient is known only up to its swarm: log2(clients / swarms) (§1.3).
    nlohmann::ordered_json summary(const std::vector<RequestRow>& requests, std::size_t clients,
                                   std::size_t swarms) const;

private:
    void record(std::size_t observer, const apps::HopRecord& hop);
    struct Seen {
        std::size_t observer = 0;
        apps::HopRecord hop;
    };
    std::string placement_;
    std::size_t count_ = 0;
    std::vector<bool> bad_;
    std::vector<std::string> node_hex_;  ///< Ed25519 hex of every node, for requests.csv keys
    std::vector<Seen> seen_;
    std::vector<observe::Hop> truth_;  ///< every node's hops: only the simulator has these
    std::vector<std::uint32_t> ips_;
    double window_s_ = 1;
    std::map<crypto::Ed25519PublicKey, std::size_t> index_;
};

}  // namespace sessionsim::scenario
