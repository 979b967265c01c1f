// A WAN host's access link: its rates, its drop-tail queue, the TCP segment size its MTU
// gives and whether its TCP restarts slow start after idle. Its own header without ns-3, so that
// the scenario schema (network.access_up, network.access_down, network.tcp_segment_bytes) and the
// ns-3 attributes (the WAN device's, TcpSettings') take their defaults from this one struct.
#pragma once

#include <cstdint>
#include <string>

namespace sessionsim::net {

struct WanLinkOptions {
    std::string up_rate = "100Mbps";  ///< ns-3 DataRate syntax; "0bps": no serialization delay
    std::string down_rate = "100Mbps";
    std::uint32_t queue_bytes = 1'000'000;  ///< per direction; 0: unlimited
    /// Payload per TCP segment: Linux's on a 1500-byte MTU with timestamps (1500 - 20 IP - 20
    /// TCP - 12 options), which the testbed's kernels use. 536 is ns-3's own default (RFC 879),
    /// which every sessionsim result before 2026-12-04 used (see tcp_settings.h).
    std::uint32_t tcp_segment_bytes = 1448;
    /// Linux's slow-start restart (net.ipv4.tcp_slow_start_after_idle, on by default, RFC 2861):
    /// a connection that has sent nothing for longer than its retransmission timeout, with nothing
    /// in flight, starts its next data from at most the initial window again. ns-3 3.37 keeps
    /// whatever window it has grown (false: as every result before 2026-12-04).
    bool tcp_slow_start_restart = true;
};

/// What network.tcp_segment_bytes accepts: from the segment every IPv4 host must take (RFC 879)
/// to a 9000-byte jumbo frame's.
inline constexpr std::uint32_t kMinTcpSegmentBytes = 536;
inline constexpr std::uint32_t kMaxTcpSegmentBytes = 8948;

}  // namespace sessionsim::net
