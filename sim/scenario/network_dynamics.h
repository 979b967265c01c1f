// The network over time: plays the failure schedule on the simulated hosts (their links go
// dark, their storage servers crash and come back) and runs the registry's blocks, handing
// every running node the new swarms whenever a block changes the active set, so that re-syncs
// travel over the simulated network. Records a row per block (swarm health) and per node event.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <ns3/ptr.h>
#include <nlohmann/json.hpp>

#include "sim/apps/directory.h"
#include "sim/apps/service_node_app.h"
#include "sim/churn/outages.h"
#include "sim/net/wan_channel.h"
#include "sim/registry/registry.h"
#include "sim/scenario/run_report.h"

namespace sessionsim::scenario {

struct DynamicsOptions {
    bool blocks = true;         ///< false: static swarms, no decommissions (no repair)
    bool keep_database = true;  ///< what survives a crash
    registry::RegistryRules rules;
};

struct BlockRow {
    double time_s = 0;
    std::int64_t height = 0;
    std::size_t active = 0, decommissioned = 0, deregistered = 0, hosts_down = 0;
    std::size_t swarms = 0, smallest_swarm = 0, largest_swarm = 0, swarms_below_minimum = 0;
    std::size_t tested = 0, changes = 0;
    int votes = 0;
    std::uint64_t messages_pushed = 0, resync_bytes = 0;  ///< cumulative over all nodes
};

struct NodeEventRow {
    double time_s = 0;
    std::size_t node = 0;
    std::string event;   ///< down, up, registered, decommissioned, recommissioned, ...
    std::string detail;  ///< the cause of an outage, the failed check of a state change
};

/// A service node's swarm changed: it joined one (the first view lists every node), moved, or
/// left the swarms (decommissioned or deregistered: no swarm).
struct SwarmChangeRow {
    double time_s = 0;
    std::int64_t height = 0;
    std::size_t node = 0;
    std::optional<swarm::SwarmId> swarm;
};

inline constexpr std::size_t kNotRegistered = static_cast<std::size_t>(-1);

/// One service node as the dynamics sees it.
struct ServiceHost {
    ns3::Ptr<apps::ServiceNodeApp> app;
    ns3::Ptr<net::WanNetDevice> device;
    storage::NodeContact contact;
    std::size_t registry_index = kNotRegistered;  ///< until a joining node registers
};

class NetworkDynamics {
public:
    NetworkDynamics(DynamicsOptions options, std::shared_ptr<apps::NodeDirectory> directory,
                    std::vector<ServiceHost> hosts, registry::Registry& registry);

    /// Schedules the outages (node indices are host indices) and `joins` (hosts that register
    /// at their time and are off the network until then), then the block timer.
    void start(const std::vector<churn::Outage>& outages,
               const std::vector<std::pair<std::size_t, double>>& joins);

    /// Installs the registry's current assignment as the network's swarms and active list.
    void publish_swarms();

    const std::vector<BlockRow>& blocks() const { return blocks_; }
    const std::vector<NodeEventRow>& node_events() const { return events_; }
    /// Every node's swarm in the first view, then each change: the swarms over time as the
    /// changes between views (a full view per block would be swarms x members rows a block).
    const std::vector<SwarmChangeRow>& swarm_changes() const { return swarm_changes_; }
    const std::vector<ServiceHost>& hosts() const { return hosts_; }
    /// A host is running when its link is up and its storage server has not crashed.
    static bool running(const ServiceHost& h) { return h.device->IsHostUp() && !h.app->IsDown(); }
    /// How many of `members` are running now: the replicas a message stored now gets.
    std::size_t running_members(const std::vector<storage::NodeContact>& members) const;

    /// summary.json's "churn" block and the console's churn line (when nodes failed or joined):
    /// counts, re-sync volume and the time from going silent to decommission (with the §3.2
    /// closed form for this network size beside it).
    void report(RunReport& report) const;

private:
    void set_host(std::size_t host, bool up, const std::string& cause);
    void block();
    void record(const std::string& event, std::size_t host, const std::string& detail);
    /// Appends to swarm_changes_ what differs between the last view and `now` (host -> swarm).
    void record_swarm_changes(const std::map<std::size_t, swarm::SwarmId>& now);

    DynamicsOptions options_;
    std::shared_ptr<apps::NodeDirectory> directory_;
    std::vector<ServiceHost> hosts_;
    registry::Registry& registry_;
    std::map<std::size_t, std::size_t> host_of_registry_;
    std::map<crypto::Ed25519PublicKey, std::size_t> host_of_ed25519_;
    std::map<std::size_t, double> down_since_s_;  ///< hosts down now -> since when
    std::vector<double> decommission_delays_s_;
    /// Blocks in which an active node was down and failing its checks: the trials of the
    /// quorum's per-block test, whatever happened to the node later (censoring-free).
    std::uint64_t failing_node_blocks_ = 0;
    std::uint64_t failing_node_decommissions_ = 0;
    double expected_failing_decommissions_ = 0;  ///< the per-block chances, summed
    std::vector<BlockRow> blocks_;
    std::vector<NodeEventRow> events_;
    std::map<std::size_t, swarm::SwarmId> swarm_of_host_;  ///< in the view published last
    std::vector<SwarmChangeRow> swarm_changes_;
};

/// CSV writers for the three tables.
void write_blocks_csv(std::ostream& out, const std::vector<BlockRow>& rows);
void write_node_events_csv(std::ostream& out, const std::vector<NodeEventRow>& rows);
/// swarms.csv: time_s,height,node,swarm (the swarm id in decimal; empty: left the swarms).
void write_swarm_changes_csv(std::ostream& out, const std::vector<SwarmChangeRow>& rows);

}  // namespace sessionsim::scenario
