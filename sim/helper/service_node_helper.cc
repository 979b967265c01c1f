#include "sim/helper/service_node_helper.h"

#include <stdexcept>

#include "models/crypto/ed25519.h"
#include "sim/apps/service_node_app.h"

namespace sessionsim::helper {

ServiceNodeHelper::ServiceNodeHelper(std::uint64_t seed) : seed_(seed) {
    factory_.SetTypeId(apps::ServiceNodeApp::GetTypeId());
}

void ServiceNodeHelper::SetAttribute(const std::string& name, const ns3::AttributeValue& value) {
    factory_.Set(name, value);
}

ns3::ApplicationContainer ServiceNodeHelper::Install(
    const ns3::NodeContainer& nodes, const std::vector<ns3::Ipv4Address>& addresses) {
    if (addresses.size() < nodes.GetN())
        throw std::invalid_argument("ServiceNodeHelper::Install: one address per node needed");
    std::vector<node::NodeKeys> keys;
    std::vector<ns3::Ipv4Address> node_addresses;
    std::vector<std::uint32_t> ipv4;
    for (std::uint32_t i = 0; i < nodes.GetN(); ++i) {
        keys.push_back(node::NodeKeys::from_seed(crypto::derived_seed(seed_, "service node ", i)));
        node_addresses.push_back(addresses[i]);
        ipv4.push_back(addresses[i].Get());
    }
    directory_ = apps::make_directory(keys, node_addresses, ipv4, seed_);
    ns3::ApplicationContainer apps;
    for (std::uint32_t i = 0; i < nodes.GetN(); ++i) {
        auto app = factory_.Create<apps::ServiceNodeApp>();
        app->Configure(keys[i], directory_, seed_);
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

}  // namespace sessionsim::helper
