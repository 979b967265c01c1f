// The run's adversary: the service nodes it runs (adversary.fraction, adversary.placement) and
// what they saw -- each onion layer they handled, from the HopObserved trace, written to
// observations.csv exactly as the nodes had it (addresses, next hops, decrypted requests). The
// summary sets the adversary's position against the ground truth: how many onion requests had
// a malicious guard and a malicious destination, beside m(m-1)/(N(N-1)) (§1.6),
// and how well a timing correlator over its own records links senders to requests (§1.8).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "models/storage/message_store.h"
#include "sim/apps/service_node_app.h"
#include "sim/net/placement.h"
#include "sim/observe/linkage.h"
#include "sim/observe/user_compromise.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class Adversary : public Feature {
public:
    /// Draws the adversary's nodes among `nodes` (the service nodes present at the start), or
    /// with placement "joiners" takes the `joiners` nodes that register during the run (Sybils
    /// joining at churn.join_at_s); from its own stream ("adversary"). Throws ScenarioError
    /// naming the key for a placement that is not understood or possible.
    Adversary(const Scenario& sc, const std::vector<net::PlacedHost>& nodes, std::size_t joiners,
              std::uint64_t seed);
    std::string_view name() const override { return "adversary"; }
    /// Runs nodes, or watches links (adversary.links).
    bool active() const override { return count_ > 0 || !links_.empty(); }
    /// By service-node index: whether the adversary runs it (hosts.csv's column).
    const std::vector<bool>& nodes() const { return bad_; }

    /// Finds the links it watches and records what every node sees (place and watch below).
    void install(SessionRun& run) override;
    /// summary.json "adversary", with what its nodes store at the end.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// observations.csv, users.csv, anonymity.csv.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

    /// The HopObserved sink: node `node` handled the layer `hop`. Public so that a test can hand
    /// it layers whose every field it chose (tests/sim/adversary_test.cc).
    void record(std::size_t node, const apps::HopRecord& hop);

private:
    /// A block of the "adversary" summary and its console line, reported in the order the
    /// console reads best (the blocks keep summary.json's order). Its cells go straight into
    /// the report.
    struct Section {
        nlohmann::ordered_json block;
        std::string line;
    };

    /// Records what `apps[i]` (at address `ips[i]`) sees, for each adversary node i, and every
    /// node's hops as the ground truth the linkage scores are computed against.
    void watch(const std::vector<ns3::Ptr<apps::ServiceNodeApp>>& apps,
               std::vector<std::uint32_t> ips);

    /// Where every host is (service nodes first, then clients): what adversary.links needs to
    /// know which links pass through the observed country or network.
    void place(const std::vector<net::PlacedHost>& hosts, std::size_t n_nodes);

    /// What the adversary's nodes keep in their message stores at the end (replicas included:
    /// a swarm member holds every message of its swarm's accounts, whoever was the
    /// destination): messages and accounts held, and the share of the run's stored messages
    /// among them, beside P(the recipient's swarm has a malicious member) (§1.6, V6).
    /// `adversary_members(swarm)` counts the adversary's nodes in a swarm of the final view:
    /// the share of messages whose swarm has one is what this network realised of that
    /// probability.
    Section storage_section(const std::vector<const storage::MessageStore*>& adversary_stores,
                            const std::vector<MessageRecord>& messages,
                            const std::function<std::size_t(std::uint64_t)>& adversary_members,
                            RunReport& report) const;

    void write_observations_csv(std::ostream& out) const;
    /// anonymity.csv: per message store, what the adversary knows of its sender and recipient
    /// (candidates, entropy, min-entropy, degree over `clients`, best guess, linked).
    void write_anonymity_csv(std::ostream& out, std::size_t clients) const;
    /// users.csv: per client address, its stores, how many were compromised (malicious guard
    /// and destination), the compromise rate and the time to first compromise (§1.7).
    void write_users_csv(std::ostream& out) const;
    /// Counts, the positions the adversary held over every onion request (from the ground
    /// truth), what it learned of the recipients, and how well its timing correlator links
    /// senders. `clients` accounts spread over `swarms` swarms give the recipient entropy of a
    /// store whose recipient is known only up to its swarm: log2(clients / swarms) (§1.3).
    /// Reports the "adversary" block and its "adversary", "linkage" and "relations" lines.
    void report_positions(std::size_t clients, std::size_t swarms, RunReport& report) const;

    bool runs(std::size_t node) const { return node < bad_.size() && bad_[node]; }
    /// Every node's hops in the form the linkage analyses take.
    std::vector<observe::Hop> ground_truth() const;
    /// The traced requests (computed once, after the run: the hops no longer change).
    const std::vector<observe::TrueRequest>& traced() const;
    mutable std::optional<std::vector<observe::TrueRequest>> traced_;

    /// The per-user compromise block of the summary, with the closed form of the run's path
    /// selection beside each measured fraction.
    Section users_section(const std::vector<observe::TrueRequest>& truth, RunReport& report) const;

    /// The passive link observer's block: which request ends it saw and how its timing
    /// correlator does; none without watched links.
    std::optional<Section> links_section(const std::vector<observe::TrueRequest>& truth,
                                         RunReport& report) const;

    std::string placement_;
    std::string links_;  ///< adversary.links: "", "global", "country:<CC>", "provider:<name>"
    std::vector<bool> node_watched_;           ///< by service-node index
    std::set<std::uint32_t> clients_watched_;  ///< client addresses whose links it sees
    std::string path_selection_;               ///< onion.path_selection: which closed form applies
    int guards_ = 2;                           ///< paths (one per guard) a client keeps
    std::size_t count_ = 0;
    std::vector<bool> bad_;
    double window_s_ = 1;
    /// Every node's hops, with the handling node: the adversary's own are its observations;
    /// all of them together are the ground truth only the simulator has.
    std::vector<std::pair<std::size_t, apps::HopRecord>> hops_;
    std::vector<std::uint32_t> ips_;
    std::map<crypto::Ed25519PublicKey, std::size_t> index_;
};

}  // namespace sessionsim::scenario
