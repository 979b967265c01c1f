// Linux's slow-start restart (tcp_slow_start_after_idle, RFC 2861), shared by both transport
// levels (AbortableTcpSocket at the packet level, MessageConnection at the message level) so
// that they apply one rule: the retransmission timeout Linux computes, and tcp_cwnd_restart's
// shrinking of an idle connection's window.
#pragma once

#include <algorithm>
#include <cstdint>

#include <ns3/nstime.h>

namespace sessionsim::net {

/// Linux's RTO: the smoothed RTT plus four mean deviations, that term at least tcp_rto_min.
inline ns3::Time linux_rto(ns3::Time smoothed_rtt, ns3::Time mean_deviation) {
    static const ns3::Time kLinuxRtoMin = ns3::MilliSeconds(200);
    return smoothed_rtt + std::max(mean_deviation * 4, kLinuxRtoMin);
}

/// The window a write after `idle` without sending starts from (tcp_cwnd_restart): unchanged
/// unless idle exceeds `rto`; then halved once per further RTO, never below `restart` (the
/// initial window) and never above `window`.
inline std::uint64_t window_after_idle(std::uint64_t window, std::uint64_t restart, ns3::Time idle,
                                       ns3::Time rto) {
    if (idle <= rto)
        return window;
    std::uint64_t shrunk = window;
    for (idle -= rto; idle > ns3::Time(0) && shrunk > restart; idle -= rto)
        shrunk >>= 1;
    return std::min(window, std::max(shrunk, restart));
}

}  // namespace sessionsim::net
