#include "sim/net/cubic_window.h"

#include <algorithm>
#include <cmath>

#include <ns3/tcp-cubic.h>
#include <ns3/tcp-l4-protocol.h>
#include <ns3/tcp-socket.h>

#include "sim/net/ns3_defaults.h"

namespace sessionsim::net {

CubicParameters CubicParameters::from_ns3() {
    const auto cubic = ns3::TcpCubic::GetTypeId();
    const auto used = ns3_default<ns3::TypeIdValue>(ns3::TcpL4Protocol::GetTypeId(), "SocketType");
    NS_ABORT_MSG_UNLESS(used == cubic,
                        "the message level models TcpCubic; ns-3's TCP runs " << used.GetName());
    CubicParameters p;
    p.hystart = ns3_default<ns3::BooleanValue>(cubic, "HyStart");
    p.hystart_low_window_segments = ns3_default_uinteger(cubic, "HyStartLowWindow");
    p.hystart_detect = static_cast<int>(ns3_default<ns3::IntegerValue>(cubic, "HyStartDetect"));
    p.hystart_min_samples = ns3_default_uinteger(cubic, "HyStartMinSamples");
    p.hystart_ack_delta = ns3_default_time(cubic, "HyStartAckDelta");
    p.hystart_delay_min = ns3_default_time(cubic, "HyStartDelayMin");
    p.hystart_delay_max = ns3_default_time(cubic, "HyStartDelayMax");
    p.cubic_delta = ns3_default_time(cubic, "CubicDelta");
    p.cnt_clamp = ns3_default_uinteger(cubic, "CntClamp");
    p.c = ns3_default<ns3::DoubleValue>(cubic, "C");
    p.beta = ns3_default<ns3::DoubleValue>(cubic, "Beta");
    p.fast_convergence = ns3_default<ns3::BooleanValue>(cubic, "FastConvergence");
    p.initial_threshold_bytes =
        ns3_default_uinteger(ns3::TcpSocket::GetTypeId(), "InitialSlowStartThreshold");
    return p;
}

std::uint32_t AckedSegments::take(std::uint64_t bytes) {
    auto segments = static_cast<std::uint32_t>(bytes / segment_bytes_);
    remainder_ += static_cast<std::uint32_t>(bytes % segment_bytes_);
    if (remainder_ >= segment_bytes_) {
        ++segments;
        remainder_ -= segment_bytes_;
    }
    return segments;
}

CubicWindow::CubicWindow(const CubicParameters& parameters, std::uint32_t segment_bytes,
                         std::uint32_t initial_window_segments)
    : parameters_(parameters),
      segment_bytes_(segment_bytes),
      acked_segments_(segment_bytes),
      window_(initial_window_segments * segment_bytes),
      threshold_(parameters.initial_threshold_bytes) {}

void CubicWindow::on_ack(ns3::Time now, std::uint64_t bytes, ns3::Time smoothed_rtt,
                         std::uint64_t acked_through, std::uint64_t sent_through) {
    // ns-3's ProcessAck in the open state: PktsAcked, then IncreaseWindow, even for an
    // acknowledgement of less than a segment.
    const std::uint32_t segments = acked_segments_.take(bytes);
    packets_acked(now, smoothed_rtt);
    increase(now, segments, acked_through, sent_through);
}

void CubicWindow::packets_acked(ns3::Time now, ns3::Time rtt) {
    // Delay samples just after congestion avoidance (re)started are not taken.
    if (epoch_start_ != ns3::Time::Min() && now - epoch_start_ < parameters_.cubic_delta)
        return;
    if (delay_min_ == ns3::Time::Min() || delay_min_ > rtt)
        delay_min_ = rtt;
    if (parameters_.hystart && window_ <= threshold_ &&
        window_ >= parameters_.hystart_low_window_segments * segment_bytes_)
        hystart_update(now, rtt);
}

ns3::Time CubicWindow::delay_threshold(ns3::Time delay_min) const {
    return std::clamp(delay_min, parameters_.hystart_delay_min, parameters_.hystart_delay_max);
}

void CubicWindow::hystart_update(ns3::Time now, ns3::Time delay) {
    const auto stops = [this] { return (found_ ? 1 : 0) & parameters_.hystart_detect; };
    if (stops())
        return;
    // An ACK train: every acknowledgement since the round began within the delta of the last.
    if (now - last_ack_ <= parameters_.hystart_ack_delta) {
        last_ack_ = now;
        if (now - round_start_ > delay_min_)
            found_ = true;
    }
    // The least RTT over the round's first samples against the least seen.
    if (round_samples_ < parameters_.hystart_min_samples) {
        if (round_rtt_ == ns3::Time::Min() || round_rtt_ > delay)
            round_rtt_ = delay;
        ++round_samples_;
    } else if (round_rtt_ > delay_min_ + delay_threshold(delay_min_)) {
        found_ = true;
    }
    if (stops())
        threshold_ = window_;
}

void CubicWindow::hystart_reset(ns3::Time now, std::uint64_t sent_through) {
    round_start_ = last_ack_ = now;
    round_end_ = sent_through;
    round_rtt_ = ns3::Time::Min();
    round_samples_ = 0;
}

void CubicWindow::increase(ns3::Time now, std::uint32_t segments, std::uint64_t acked_through,
                           std::uint64_t sent_through) {
    if (window_ < threshold_) {
        if (parameters_.hystart && acked_through > round_end_)
            hystart_reset(now, sent_through);
        window_ += segments * segment_bytes_;  // byte counting: no segment of it goes to CA
        segments = 0;
    }
    if (window_ >= threshold_ && segments > 0) {
        acked_count_ += segments;
        const std::uint32_t count = update(now);
        if (acked_count_ >= count) {
            window_ += segment_bytes_;
            acked_count_ -= count;
        }
    }
}

std::uint32_t CubicWindow::update(ns3::Time now) {
    const std::uint32_t window = window_segments();
    if (epoch_start_ == ns3::Time::Min()) {
        epoch_start_ = now;
        if (last_max_window_ <= window) {
            k_ = 0.0;
            origin_point_ = window;
        } else {
            k_ = std::pow((last_max_window_ - window) / parameters_.c, 1 / 3.);
            origin_point_ = last_max_window_;
        }
    }
    // Where the curve will be one least RTT from now. The integer conversions are ns-3's.
    const double t = (now + delay_min_ - epoch_start_).GetSeconds();
    const double offset = t < k_ ? k_ - t : t - k_;
    const auto delta = static_cast<std::uint32_t>(parameters_.c * std::pow(offset, 3));
    const std::uint32_t target = t < k_ ? origin_point_ - delta : origin_point_ + delta;
    std::uint32_t count = target > window ? window / (target - window) : 100 * window;
    if (last_max_window_ == 0 && count > parameters_.cnt_clamp)
        count = parameters_.cnt_clamp;
    return std::max(count, 2u);  // at most one segment per two acknowledged: 1.5x per RTT
}

void CubicWindow::lower_threshold() {
    // Beta times the window, remembering the window it fell from (lowered further by fast
    // convergence when it fell short of the last maximum); a new epoch starts.
    const std::uint32_t window = window_segments();
    if (window < last_max_window_ && parameters_.fast_convergence)
        last_max_window_ = static_cast<std::uint32_t>(window * (1 + parameters_.beta) / 2);
    else
        last_max_window_ = window;
    epoch_start_ = ns3::Time::Min();
    threshold_ =
        std::max(static_cast<std::uint32_t>(window * parameters_.beta), 2u) * segment_bytes_;
}

void CubicWindow::on_fast_retransmit(ns3::Time) {
    lower_threshold();
    window_ = threshold_;
}

void CubicWindow::on_timeout(ns3::Time now, std::uint64_t sent_through, bool repeated) {
    if (!repeated)
        lower_threshold();
    window_ = segment_bytes_;
    // The loss state forgets CUBIC's curve and HyStart's findings (CubicReset, HystartReset).
    last_max_window_ = 0;
    origin_point_ = 0;
    k_ = 0;
    delay_min_ = ns3::Time::Min();
    found_ = false;
    hystart_reset(now, sent_through);
}

void CubicWindow::restart_after_idle(std::uint64_t window) {
    threshold_ = std::max(threshold_, window_ / 2 + window_ / 4);
    window_ = static_cast<std::uint32_t>(window);
}

}  // namespace sessionsim::net
