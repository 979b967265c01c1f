// Push notifications in a Session run (client.mode = push): a push server and a platform push
// service (APNs/FCM stand-in) placed after the clients; every client registers a device token
// with the platform and subscribes through an onion request. At the end it reports what the
// push path cost and revealed: push_server.csv (what the push server learned per account) and
// platform.csv (which device address holds which token), and a "push" summary block.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <set>
#include <vector>

#include <ns3/node-container.h>
#include <ns3/ptr.h>
#include <nlohmann/json.hpp>

#include "models/crypto/random.h"
#include "models/push/push_server.h"
#include "sim/apps/client_app.h"
#include "sim/apps/push_apps.h"
#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/scenario/external_server.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class PushSetup : public Feature {
public:
    PushSetup(const Scenario& sc, std::uint64_t seed);
    std::string_view name() const override { return "push"; }
    bool active() const override { return active_; }

    /// The push server's host, then the platform's front-ends.
    void place(SessionRun& run) override;
    /// Starts the push server and the platform's front-ends on the hosts place() added.
    void install(SessionRun& run) override;
    /// Puts a client in push mode (before it starts): it subscribes at a random time in the
    /// warm-up, as if the run joined a network whose devices had long subscribed.
    void configure_client(SessionRun& run, std::size_t client, apps::ClientApp& app) override;
    /// summary.json "push": the clients' addresses decide whether the push server ever saw a
    /// device.
    void summarize(const SessionRun& run, RunReport& report) override;
    /// push_server.csv and platform.csv.
    void write(const SessionRun& run, const std::filesystem::path& dir) const override;

private:
    /// The "push" block, line and cells.
    void report(const std::vector<ns3::Ptr<apps::ClientApp>>& clients,
                const std::set<std::uint32_t>& client_addresses, RunReport& report) const;
    void write_push_server_csv(std::ostream& out) const;
    void write_platform_csv(std::ostream& out) const;

    const Scenario& sc_;
    std::uint64_t seed_;
    bool active_;
    ExternalServer host_;  ///< where the push server runs (the front-ends follow), who reached it
    crypto::X25519KeyPair keys_;
    onion::ServerKeys server_keys_;
    std::shared_ptr<push::PushServer> push_;
    ns3::Ptr<apps::PushServerApp> server_app_;
    std::size_t frontend_count_ = 1;
    std::vector<ns3::Ptr<apps::PlatformApp>> platform_apps_;
    apps::PlatformFrontends frontends_;
    crypto::SeededRandom subscribe_random_;
};

}  // namespace sessionsim::scenario
