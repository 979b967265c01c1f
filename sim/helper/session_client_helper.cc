#include "sim/helper/session_client_helper.h"

#include "models/crypto/ed25519.h"

namespace sessionsim::helper {

SessionClientHelper::SessionClientHelper(std::shared_ptr<const apps::NodeDirectory> directory,
                                         std::uint64_t seed)
    : directory_(std::move(directory)), seed_(seed) {
    factory_.SetTypeId(apps::ClientApp::GetTypeId());
}

void SessionClientHelper::SetAttribute(const std::string& name, const ns3::AttributeValue& value) {
    factory_.Set(name, value);
}

ns3::ApplicationContainer SessionClientHelper::Install(const ns3::NodeContainer& nodes) {
    ns3::ApplicationContainer apps;
    for (std::uint32_t i = 0; i < nodes.GetN(); ++i, ++installed_) {
        auto app = factory_.Create<apps::ClientApp>();
        app->Configure(identity::Identity::from_ed25519_seed(
                           crypto::derived_seed(seed_, "client ", installed_)),
                       config_, directory_, seed_ + installed_,
                       observer_ ? observer_(installed_) : apps::ClientObserver{});
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

}  // namespace sessionsim::helper
