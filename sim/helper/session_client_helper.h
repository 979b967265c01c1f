// ns-3 helper for Session clients, in the style of ns-3's application helpers: set the apps'
// attributes and the protocol client's settings, install one client on each node of a
// container. Clients find the network through the directory a ServiceNodeHelper built.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <ns3/application-container.h>
#include <ns3/attribute.h>
#include <ns3/node-container.h>
#include <ns3/object-factory.h>

#include "models/client/client_config.h"
#include "sim/apps/client_app.h"

namespace sessionsim::helper {

class SessionClientHelper {
public:
    /// Client i's identity comes from `seed` as in a scenario run (derived_seed(seed, "client ",
    /// i)); its random stream from seed + i.
    SessionClientHelper(std::shared_ptr<const apps::NodeDirectory> directory,
                        std::uint64_t seed = 1);

    /// An attribute of every ClientApp installed from now on.
    void SetAttribute(const std::string& name, const ns3::AttributeValue& value);
    /// The protocol client's settings (paths, polling, timeouts: models/client/client_config.h).
    void SetConfig(const client::ClientConfig& config) { config_ = config; }
    /// What every client reports (requests, stores, failures, messages received); the client's
    /// index in the order installed is passed first.
    using Observer = std::function<apps::ClientObserver(std::size_t client)>;
    void SetObserver(Observer observer) { observer_ = std::move(observer); }

    /// One client on each of `nodes`; numbering continues across calls.
    ns3::ApplicationContainer Install(const ns3::NodeContainer& nodes);

private:
    std::shared_ptr<const apps::NodeDirectory> directory_;
    std::uint64_t seed_;
    ns3::ObjectFactory factory_;
    client::ClientConfig config_;
    Observer observer_;
    std::size_t installed_ = 0;
};

}  // namespace sessionsim::helper
