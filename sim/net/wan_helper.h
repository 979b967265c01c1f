// Builds a WAN: one ns-3 node per placed host, each with ns-3's internet stack, a WanNetDevice
// on a shared WanChannel, its /32 address and a single default route (no global routing). In
// message mode (network.transport = "message") the nodes get no internet stack: the device is
// only the host's access link and location, which the message-level transport reads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <ns3/node-container.h>

#include "sim/net/latency_model.h"
#include "sim/net/placement.h"
#include "sim/net/wan_channel.h"
#include "sim/net/wan_links.h"

namespace sessionsim::net {

struct Wan {
    ns3::NodeContainer nodes;
    ns3::Ptr<WanChannel> channel;
    std::shared_ptr<DelayTable> delays;
    std::vector<ns3::Ipv4Address> addresses;
    std::vector<ns3::Ptr<WanNetDevice>> devices;  ///< one per host, in host order
};

/// What each host runs above its device.
enum class HostStack {
    internet,  ///< ns-3's IPv4 and TCP: packets cross the devices (the packet level)
    none,      ///< nothing: a message-level transport models what crosses them
};

/// Creates `hosts.size()` nodes (in order) with links of `links`. Throws DataError if a host's
/// location is not covered by `model`.
Wan build_wan(const std::vector<PlacedHost>& hosts, const LatencyModel& model,
              const WanLinkOptions& links, HostStack stack = HostStack::internet);

/// build_wan in the style of ns-3's helpers: the latency model and the access links set once,
/// then Install over the hosts. `model` must outlive Install (the delays are copied then).
class WanHelper {
public:
    explicit WanHelper(const LatencyModel& model) : model_(model) {}
    void SetLinks(const WanLinkOptions& links) { links_ = links; }
    /// One node per host, in order, on one channel; throws DataError for an uncovered location.
    Wan Install(const std::vector<PlacedHost>& hosts) const {
        return build_wan(hosts, model_, links_);
    }
    /// pcap traces, as ns-3's helpers write them: every packet host i's device sends or
    /// receives goes to `<prefix>-<i>.pcap` (raw IPv4 with its TCP segment, which tshark and
    /// Wireshark read), for each host in `hosts` (every host when empty). Call before running.
    static void EnablePcap(const std::string& prefix, const Wan& wan,
                           const std::vector<std::size_t>& hosts = {});

private:
    const LatencyModel& model_;
    WanLinkOptions links_;
};

}  // namespace sessionsim::net
