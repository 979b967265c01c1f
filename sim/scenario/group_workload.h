// Closed groups (groups v2) in a Session run: each group's admin creates it (pushes the first
// keys message and hands out invites), members poll the group's swarm on the group schedule,
// random members post messages, and optionally one member is removed (rekey + revocation).
// Every (message, member) pair is one delivery to watch: group_messages.csv and the summary's
// "groups" block say which arrived, when, and whether a removed member read anything after.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <vector>

#include <ns3/ptr.h>
#include <nlohmann/json.hpp>

#include "models/client/client.h"
#include "models/group/group_keys.h"
#include "sim/apps/client_app.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct GroupDelivery {
    std::uint64_t message = 0;
    std::size_t group = 0, sender = 0, recipient = 0;
    double sent_s = 0;
    std::optional<double> stored_s, delivered_s;
    std::optional<double> recipient_removed_s;  ///< removed from the group before reading it
};

class GroupWorkload : public Feature {
public:
    /// Draws the groups' members from the clients not in `offline`; nothing if groups.count = 0.
    GroupWorkload(const Scenario& sc, const std::vector<bool>& offline, std::uint64_t seed);
    std::string_view name() const override { return "groups"; }
    bool active() const override { return !groups_.empty(); }

    /// Schedules creation (at half the warm-up), the messages and the removals.
    void schedule(SessionRun& run) override;
    void on_stored(SessionRun& run, std::size_t client,
                   const client::MessageStored& stored) override;
    /// Takes the group messages.
    bool on_received(SessionRun& run, std::size_t client, const client::MessageReceived& m,
                     std::optional<std::uint64_t> id) override;
    /// summary.json "groups": deliveries still undelivered within two polls (group swarms are
    /// polled every 5 s while active) and a store's retries of the end count as pending, not
    /// lost, and stay out of the delivery ratio.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// group_messages.csv
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

    const std::vector<GroupDelivery>& deliveries() const { return deliveries_; }

private:
    void record_stored(std::size_t client, const client::MessageStored& stored);
    void record_received(std::size_t client, const client::MessageReceived& received);
    /// The "groups" block, line and cells; deliveries sent within `pending_window_s` of the
    /// end are not judged.
    void report(double end_s, double pending_window_s, RunReport& report) const;
    void write_csv(std::ostream& out) const;
    struct Group {
        std::unique_ptr<group::GroupAdmin> admin;
        std::vector<std::size_t> members;  ///< client indices, admin first
        std::vector<client::GroupInvite> invites;
        std::set<std::size_t> removed;
        std::optional<double> removed_at_s;
    };
    void create(std::size_t g);
    void post(std::size_t g, std::size_t sender);
    void remove_member(std::size_t g);

    const Scenario& sc_;
    crypto::SeededRandom random_;
    std::vector<Group> groups_;
    std::vector<ns3::Ptr<apps::ClientApp>> clients_;
    std::vector<GroupDelivery> deliveries_;
    std::vector<std::uint64_t> first_delivery_;  ///< per message: its first row
    std::map<std::pair<std::size_t, std::uint64_t>, std::uint64_t> sent_by_;  ///< (client, app id)
    std::uint64_t messages_ = 0, not_sent_ = 0, keys_messages_ = 0, read_after_removal_ = 0;
};

}  // namespace sessionsim::scenario
