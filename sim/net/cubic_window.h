// TCP CUBIC's congestion window as ns-3 3.37's TcpCubic grows it, for the message level
// (sim/apps/message_transport.h), which has no ns-3 socket to run TcpCubic in. The packet
// level's sockets use ns-3's default congestion control, TcpCubic with hybrid slow start; a
// model that only doubled its window per round trip ran 1 MB uploads under contention 14%
// faster than the packet level (docs/transport.md, "Attachments under contention").
//
// What it reproduces, rule for rule (tests/sim/cubic_window_test.cc runs it beside ns-3's own
// TcpCubic on the same acknowledgements and requires the same window after each):
// - Slow start counts bytes (ns-3's TcpCubic adds every acknowledged segment while the window
//   is below the threshold; TcpSocketBase turns bytes into segments and carries the remainder).
// - Hybrid slow start (HyStart) ends slow start by setting the threshold to the window, once
//   the window is at least HyStartLowWindow segments, when either
//   * an ACK train, acknowledgements at most HyStartAckDelta apart from the start of a round,
//     lasts longer than the least RTT seen (the window has filled the path), or
//   * the least RTT of the first HyStartMinSamples acknowledgements of a round exceeds the least
//     RTT seen by that least RTT again, clamped to [HyStartDelayMin, HyStartDelayMax] (queues
//     have built up).
//   A round starts with the first acknowledgement beyond what had been sent when the last one
//   started. ns-3 hands TcpCubic its smoothed RTT (m_lastRtt is RttMeanDeviation's estimate),
//   not the raw sample, and so does the caller.
// - Congestion avoidance follows CUBIC's curve from the window where it began, one segment
//   each time the acknowledged segments reach the count Update() sets (at least 2, at most
//   CntClamp before any loss).
// - A loss sets the threshold to Beta times the window (fast convergence lowers the remembered
//   maximum); a retransmission timeout also forgets CUBIC's and HyStart's state.
// - Linux's slow-start restart (slow_start_restart.h) is applied as AbortableTcpSocket applies
//   it at the packet level: the threshold keeps three quarters of the window it had.
#pragma once

#include <cstdint>

#include <ns3/nstime.h>

namespace sessionsim::net {

/// TcpCubic's attributes and the TcpSocket ones it starts from (read from ns-3's defaults, so
/// that both levels start from the same numbers).
struct CubicParameters {
    bool hystart = true;
    std::uint32_t hystart_low_window_segments = 16;
    /// HyStartDetect: 1 PACKET_TRAIN, 2 DELAY, 3 BOTH. ns-3 3.37 keeps what it found in a
    /// bool, so only modes with bit 1 ever end slow start; this mirrors that.
    int hystart_detect = 3;
    std::uint32_t hystart_min_samples = 8;
    ns3::Time hystart_ack_delta = ns3::MilliSeconds(2);
    ns3::Time hystart_delay_min = ns3::MilliSeconds(4);
    ns3::Time hystart_delay_max = ns3::MilliSeconds(1000);
    ns3::Time cubic_delta = ns3::MilliSeconds(10);
    std::uint32_t cnt_clamp = 20;
    double c = 0.4;
    double beta = 0.7;
    bool fast_convergence = true;
    std::uint32_t initial_threshold_bytes = ~0u;  ///< TcpSocket::InitialSlowStartThreshold
    /// ns-3's defaults as configured now; aborts unless ns-3's TCP runs TcpCubic.
    static CubicParameters from_ns3();
};

/// TcpSocketBase's conversion of acknowledged bytes into whole segments: the remainder of each
/// acknowledgement is carried, and counts as one more segment once it reaches a segment.
class AckedSegments {
public:
    explicit AckedSegments(std::uint32_t segment_bytes) : segment_bytes_(segment_bytes) {}
    std::uint32_t take(std::uint64_t bytes);

private:
    std::uint32_t segment_bytes_;
    std::uint32_t remainder_ = 0;
};

/// One connection's congestion window, driven by its acknowledgements in time order.
class CubicWindow {
public:
    CubicWindow(const CubicParameters& parameters, std::uint32_t segment_bytes,
                std::uint32_t initial_window_segments);

    std::uint32_t window_bytes() const { return window_; }
    std::uint32_t threshold_bytes() const { return threshold_; }

    /// An acknowledgement of `bytes` new bytes arrives at `now`, the stream acknowledged up to
    /// `acked_through` bytes while `sent_through` have been sent; `smoothed_rtt` is the RTT
    /// estimate after its sample.
    void on_ack(ns3::Time now, std::uint64_t bytes, ns3::Time smoothed_rtt,
                std::uint64_t acked_through, std::uint64_t sent_through);
    /// Three duplicate acknowledgements at `now`: the window falls to the lowered threshold, as
    /// it stands once ns-3's fast recovery is over.
    void on_fast_retransmit(ns3::Time now);
    /// A retransmission timeout at `now` with `sent_through` bytes sent: the window restarts
    /// from one segment and CUBIC and HyStart start over; the threshold falls unless
    /// `repeated` (a further timeout of the same loss, as ns-3 leaves it then).
    void on_timeout(ns3::Time now, std::uint64_t sent_through, bool repeated);
    /// A write after idleness restarts slow start from `window` (slow_start_restart.h).
    void restart_after_idle(std::uint64_t window);

private:
    void packets_acked(ns3::Time now, ns3::Time rtt);
    /// CUBIC's threshold after a loss (GetSsThresh): Beta times the window.
    void lower_threshold();
    void hystart_update(ns3::Time now, ns3::Time delay);
    void hystart_reset(ns3::Time now, std::uint64_t sent_through);
    void increase(ns3::Time now, std::uint32_t segments, std::uint64_t acked_through,
                  std::uint64_t sent_through);
    /// CUBIC's count of acknowledged segments per one-segment increase.
    std::uint32_t update(ns3::Time now);
    ns3::Time delay_threshold(ns3::Time delay_min) const;
    std::uint32_t window_segments() const { return window_ / segment_bytes_; }

    CubicParameters parameters_;
    std::uint32_t segment_bytes_;
    AckedSegments acked_segments_;
    std::uint32_t window_;
    std::uint32_t threshold_;
    // CUBIC (ns-3's names in comments)
    std::uint32_t acked_count_ = 0;             // m_cWndCnt
    std::uint32_t last_max_window_ = 0;         // m_lastMaxCwnd, segments
    std::uint32_t origin_point_ = 0;            // m_bicOriginPoint, segments
    double k_ = 0;                              // m_bicK, seconds
    ns3::Time delay_min_ = ns3::Time::Min();    // m_delayMin: Min while unset
    ns3::Time epoch_start_ = ns3::Time::Min();  // m_epochStart
    // HyStart
    bool found_ = false;                        // m_found
    ns3::Time round_start_ = ns3::Time::Min();  // m_roundStart
    std::uint64_t round_end_ = 0;               // m_endSeq
    ns3::Time last_ack_ = ns3::Time::Min();     // m_lastAck
    ns3::Time round_rtt_ = ns3::Time::Min();    // m_currRtt
    std::uint32_t round_samples_ = 0;           // m_sampleCnt
};

}  // namespace sessionsim::net
