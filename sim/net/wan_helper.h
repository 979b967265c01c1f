// Builds a WAN: one ns-3 node per placed host, each with ns-3's internet stack, a WanNetDevice
// on a shared WanChannel, its /32 address and a single default route (no global routing).
#pragma once

#include <memory>
#include <vector>

#include <ns3/node-container.h>

#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/net/wan_channel.h"

namespace sessionsim::net {

struct WanLinkOptions {
    std::string up_rate = "100Mbps";
    std::string down_rate = "100Mbps";
    std::uint32_t queue_bytes = 1'000'000;
};

struct Wan {
    ns3::NodeContainer nodes;
    ns3::Ptr<WanChannel> channel;
    std::shared_ptr<DelayTable> delays;
    std::vector<ns3::Ipv4Address> addresses;
    std::vector<ns3::Ptr<WanNetDevice>> devices;  ///< one per host, in host order
};

/// Creates `hosts.size()` nodes (in order) with links of `links`. Throws DataError if a host's
/// location is not covered by `model`.
Wan build_wan(const std::vector<PlacedHost>& hosts, const LatencyModel& model,
              const WanLinkOptions& links);

}  // namespace sessionsim::net
