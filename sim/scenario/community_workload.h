// Communities (open groups) in a Session run: a SOGS-style server with communities.count rooms,
// each with communities.members members drawn from the online clients. Members poll their rooms
// through onion requests every communities.poll_interval_s and post at random; each (post,
// member) pair is a delivery to watch (community_messages.csv). The server's own log
// (community_server.csv) is what its operator reads: every post in clear, under the poster's
// blinded ID, with no address (requests arrive from exit nodes).
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

#include "models/server/community_server.h"
#include "sim/apps/client_app.h"
#include "sim/apps/server_app.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/external_server.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

struct CommunityDelivery {
    std::uint64_t post = 0;
    std::size_t room = 0, sender = 0, recipient = 0;
    double sent_s = 0;
    std::optional<double> stored_s, delivered_s;
};

class CommunityWorkload : public Feature {
public:
    CommunityWorkload(const Scenario& sc, const std::vector<bool>& offline, std::uint64_t seed);
    std::string_view name() const override { return "communities"; }
    bool active() const override { return !rooms_.empty(); }

    /// The community server's host (communities.server_country).
    void place(SessionRun& run) override;
    /// Starts the server with its rooms and makes its name resolve to its address.
    void install(SessionRun& run) override;
    /// Every member polls its room; members post at communities.message_interval_s.
    void schedule(SessionRun& run) override;
    /// summary.json "communities".
    void summarize(const SessionRun& run, RunReport& report) override;
    /// community_messages.csv and community_server.csv.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    /// The "communities" block and line.
    void report(double end_s, const std::set<std::uint32_t>& client_addresses,
                RunReport& report) const;
    void write_deliveries_csv(std::ostream& out) const;
    void write_server_csv(std::ostream& out) const;
    void poll(std::size_t room, std::size_t member);
    void post(std::size_t room, std::uint64_t draw);

    const Scenario& sc_;
    std::uint64_t seed_;
    crypto::SeededRandom random_;
    std::vector<std::vector<std::size_t>> rooms_;  ///< members per room
    crypto::X25519KeyPair keys_;
    onion::ServerKeys server_keys_;
    std::shared_ptr<server::CommunityServer> server_;
    std::vector<ns3::Ptr<apps::ClientApp>> clients_;
    std::map<std::pair<std::size_t, std::size_t>, std::int64_t> last_seqno_;  ///< (room, member)
    std::vector<CommunityDelivery> deliveries_;
    std::map<std::uint64_t, std::pair<std::size_t, std::size_t>> rows_of_post_;  ///< [first, end)
    ExternalServer host_;  ///< where the server runs, and who reached it
    std::uint64_t posts_ = 0, polls_ = 0;
};

}  // namespace sessionsim::scenario
