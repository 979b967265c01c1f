// ns-3 helper for Session service nodes, in the style of ns-3's application helpers: set the
// apps' attributes, install one storage server on each node of a container, and get the
// directory (addresses, node pool, swarms) that clients and other nodes find each other with.
//
//   ServiceNodeHelper nodes(seed);
//   nodes.SetAttribute("ProcessingDelay", TimeValue(MicroSeconds(40)));
//   ApplicationContainer apps = nodes.Install(wan.nodes, wan.addresses);
//   SessionClientHelper clients(nodes.Directory(), seed);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ns3/application-container.h>
#include <ns3/attribute.h>
#include <ns3/ipv4-address.h>
#include <ns3/node-container.h>
#include <ns3/object-factory.h>

#include "sim/apps/directory.h"

namespace sessionsim::helper {

class ServiceNodeHelper {
public:
    /// Node i's keys come from `seed` as in a scenario run (derived_seed(seed, "service node ",
    /// i)), so the same seed gives the same network.
    explicit ServiceNodeHelper(std::uint64_t seed = 1);

    /// An attribute of every ServiceNodeApp installed from now on (`--PrintAttributes=
    /// sessionsim::ServiceNodeApp` lists them).
    void SetAttribute(const std::string& name, const ns3::AttributeValue& value);

    /// One service node on each of `nodes`, reachable at `addresses[i]` (one per node, in the
    /// same order; extra addresses are ignored). The nodes are registered together and placed
    /// in swarms by oxend's rebalance; Directory() then describes them.
    ns3::ApplicationContainer Install(const ns3::NodeContainer& nodes,
                                      const std::vector<ns3::Ipv4Address>& addresses);

    /// The network the installed nodes form: what clients need (SessionClientHelper).
    std::shared_ptr<apps::NodeDirectory> Directory() const { return directory_; }

private:
    std::uint64_t seed_;
    ns3::ObjectFactory factory_;
    std::shared_ptr<apps::NodeDirectory> directory_;
};

}  // namespace sessionsim::helper
