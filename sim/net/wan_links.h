// A WAN host's access link: its rates and its drop-tail queue. Its own header without ns-3, so
// that the scenario schema (network.access_up, network.access_down) and the WAN device's ns-3
// attributes take their defaults from this one struct.
#pragma once

#include <cstdint>
#include <string>

namespace sessionsim::net {

struct WanLinkOptions {
    std::string up_rate = "100Mbps";  ///< ns-3 DataRate syntax; "0bps": no serialization delay
    std::string down_rate = "100Mbps";
    std::uint32_t queue_bytes = 1'000'000;  ///< per direction; 0: unlimited
};

}  // namespace sessionsim::net
