// The message level's CUBIC window (sim/net/cubic_window.h) against ns-3's own TcpCubic: the
// same acknowledgements, at the same simulated times, must leave the same window and threshold
// after every one. Hand-worked cases pin down each HyStart rule on its own.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <ns3/simulator.h>
#include <ns3/tcp-cubic.h>
#include <ns3/tcp-socket-state.h>

#include "sim/net/cubic_window.h"

namespace sessionsim::net {
namespace {

constexpr std::uint32_t kSegment = 1000;

struct Ack {
    ns3::Time at;
    std::uint64_t bytes = 0;
    ns3::Time smoothed_rtt;
    std::uint64_t acked_through = 0;
    std::uint64_t sent_through = 0;
    bool timeout = false;  ///< a retransmission timeout instead of an acknowledgement
    bool repeated = false;
    bool fast_retransmit = false;  ///< three duplicate acknowledgements instead
};

struct Outcome {
    std::uint32_t window = 0;
    std::uint32_t threshold = 0;
};

std::vector<Outcome> run_model(const std::vector<Ack>& acks) {
    CubicWindow window(CubicParameters::from_ns3(), kSegment, 10);
    std::vector<Outcome> out;
    for (const auto& ack : acks) {
        if (ack.timeout)
            window.on_timeout(ack.at, ack.sent_through, ack.repeated);
        else if (ack.fast_retransmit)
            window.on_fast_retransmit(ack.at);
        else
            window.on_ack(ack.at, ack.bytes, ack.smoothed_rtt, ack.acked_through, ack.sent_through);
        out.push_back({window.window_bytes(), window.threshold_bytes()});
    }
    return out;
}

/// ns-3's TcpCubic called as TcpSocketBase calls it: PktsAcked then IncreaseWindow for an
/// acknowledgement in the open state; GetSsThresh, a one-segment window and the loss state for
/// a timeout; GetSsThresh and the window at the threshold (recovery's end) for a fast
/// retransmit.
std::vector<Outcome> run_ns3(const std::vector<Ack>& acks) {
    auto cubic = ns3::CreateObject<ns3::TcpCubic>();
    auto tcb = ns3::CreateObject<ns3::TcpSocketState>();
    tcb->m_segmentSize = kSegment;
    tcb->m_cWnd = 10 * kSegment;
    tcb->m_ssThresh = CubicParameters::from_ns3().initial_threshold_bytes;
    AckedSegments acked(kSegment);
    std::vector<Outcome> out;
    for (const auto& ack : acks) {
        ns3::Simulator::Schedule(ack.at - ns3::Simulator::Now(), [&, ack] {
            tcb->m_highTxMark = ns3::SequenceNumber32(static_cast<std::uint32_t>(ack.sent_through));
            if (ack.timeout) {
                if (!ack.repeated)
                    tcb->m_ssThresh = cubic->GetSsThresh(tcb, 0);
                tcb->m_cWnd = kSegment;
                cubic->CongestionStateSet(tcb, ns3::TcpSocketState::CA_LOSS);
            } else if (ack.fast_retransmit) {
                tcb->m_ssThresh = cubic->GetSsThresh(tcb, 0);
                tcb->m_cWnd = tcb->m_ssThresh.Get();
            } else {
                tcb->m_lastAckedSeq =
                    ns3::SequenceNumber32(static_cast<std::uint32_t>(ack.acked_through));
                tcb->m_lastRtt = ack.smoothed_rtt;
                const std::uint32_t segments = acked.take(ack.bytes);
                cubic->PktsAcked(tcb, segments, tcb->m_lastRtt);
                cubic->IncreaseWindow(tcb, segments);
            }
            out.push_back({tcb->m_cWnd.Get(), tcb->m_ssThresh.Get()});
        });
        ns3::Simulator::Run();
    }
    ns3::Simulator::Destroy();
    return out;
}

/// Acknowledgements every `gap` of `segments` each, at a constant smoothed RTT, with far more
/// sent than acknowledged (one round).
std::vector<Ack> steady(int count, ns3::Time gap, std::uint32_t segments, ns3::Time rtt) {
    std::vector<Ack> acks;
    for (int i = 0; i < count; ++i) {
        const std::uint64_t through = std::uint64_t(i + 1) * segments * kSegment;
        acks.push_back({gap * i, segments * kSegment, rtt, through, 100'000'000});
    }
    return acks;
}

TEST(CubicWindow, AnAckTrainLongerThanTheLeastRttEndsSlowStart) {
    // Two segments per ACK every 0.5 ms at 20 ms: HyStart watches from 16 segments (the 4th
    // ACK, at 1.5 ms, within 2 ms of the round's start at the first), and the train passes
    // 20 ms at the 42nd ACK (20.5 ms), whose window before it counts is 10 + 2 x 41 = 92.
    const auto out = run_model(steady(60, ns3::MicroSeconds(500), 2, ns3::MilliSeconds(20)));
    for (int i = 0; i < 41; ++i)
        ASSERT_EQ(out[i].threshold, ~0u) << "ACK " << i;
    EXPECT_EQ(out[41].threshold, 92 * kSegment);
    // From there congestion avoidance. Before any loss CUBIC's count is clamped to CntClamp
    // (20) acknowledged segments per segment of growth: 10 ACKs of 2, the 51st ACK's.
    EXPECT_EQ(out[49].window, 92 * kSegment);
    EXPECT_EQ(out[50].window, 93 * kSegment);
    EXPECT_EQ(out[59].window, 93 * kSegment);
}

TEST(CubicWindow, AGapOfMoreThanTheAckDeltaBreaksTheTrain) {
    // The same ACKs 1 ms apart: HyStart starts watching at the 4th (3 ms after the round
    // began, more than 2 ms), so no train is ever seen and slow start goes on.
    const auto out = run_model(steady(200, ns3::MilliSeconds(1), 2, ns3::MilliSeconds(20)));
    EXPECT_EQ(out.back().threshold, ~0u);
    EXPECT_EQ(out.back().window, (10 + 2 * 200) * kSegment);
}

TEST(CubicWindow, AnRttAboveTwiceTheLeastEndsSlowStart) {
    // One segment per ACK, 5 ms apart (never a train). Each round ends 10 ACKs on: what was
    // sent when it began is acknowledged then. The smoothed RTT is 40 ms, 81 ms from ACK 30.
    std::vector<Ack> acks;
    for (int i = 0; i < 60; ++i) {
        const std::uint64_t sent = (std::uint64_t(i / 10) + 1) * 10 * kSegment;
        acks.push_back({ns3::MilliSeconds(5 * i), kSegment, ns3::MilliSeconds(i < 30 ? 40 : 81),
                        std::uint64_t(i + 1) * kSegment, sent});
    }
    const auto out = run_model(acks);
    // Rounds restart after ACKs 0, 10, 20, 30 (HyStart's reset follows its update). The round
    // from ACK 30 samples ACKs 31-38, all 81 ms; ACK 39 finds 81 > 40 + clamp(40) = 80 ms and
    // sets the threshold to the window before it counts: 10 + 39 segments.
    for (int i = 0; i < 39; ++i)
        ASSERT_EQ(out[i].threshold, ~0u) << "ACK " << i;
    EXPECT_EQ(out[39].threshold, 49 * kSegment);
    // At 80 ms exactly it would not: the rule is strictly greater.
    for (auto& ack : acks)
        if (ack.smoothed_rtt == ns3::MilliSeconds(81))
            ack.smoothed_rtt = ns3::MilliSeconds(80);
    EXPECT_EQ(run_model(acks).back().threshold, ~0u);
}

TEST(CubicWindow, FollowsNs3sTcpCubicAckForAck) {
    std::mt19937_64 random(20261205);
    int ended_slow_start = 0, grew_in_avoidance = 0, timeouts = 0, fast_retransmits = 0;
    for (int run = 0; run < 300; ++run) {
        std::vector<Ack> acks;
        ns3::Time at = ns3::MilliSeconds(1);
        ns3::Time rtt = ns3::MilliSeconds(std::uniform_int_distribution<int>(5, 200)(random));
        std::uint64_t acked = 0, sent = 30 * kSegment;
        const bool trains = run % 2 == 0;
        for (int i = 0; i < 400; ++i) {
            Ack ack;
            if (random() % 300 == 0) {
                ack = {at, 0, rtt, acked, sent, true, random() % 2 == 0};
                ++timeouts;
            } else if (random() % 300 == 0) {
                ack = {at, 0, rtt, acked, sent, false, false, true};
                ++fast_retransmits;
            } else {
                const std::uint64_t bytes =
                    (random() % 3) * kSegment + (random() % 4 == 0 ? 700 : 0);  // and part of one
                acked += bytes;
                sent = std::max(sent, acked) + (random() % 3) * kSegment;
                // The smoothed RTT drifts, and climbs now and then as a queue builds.
                rtt += ns3::MicroSeconds(std::uniform_int_distribution<int>(-800, 1000)(random));
                if (random() % 50 == 0)
                    rtt = rtt * 2;
                rtt = std::max(rtt, ns3::MilliSeconds(1));
                ack = {at, bytes, rtt, acked, sent};
            }
            acks.push_back(ack);
            // Within HyStart's 2 ms in a train (now and then exactly 2 ms), longer otherwise.
            const auto gap = random() % 20;
            at += !trains || gap == 0
                      ? ns3::MicroSeconds(std::uniform_int_distribution<int>(2001, 40000)(random))
                  : gap == 1
                      ? ns3::MilliSeconds(2)
                      : ns3::MicroSeconds(std::uniform_int_distribution<int>(50, 1999)(random));
        }
        const auto model = run_model(acks);
        const auto reference = run_ns3(acks);
        ASSERT_EQ(model.size(), reference.size());
        for (std::size_t i = 0; i < model.size(); ++i) {
            ASSERT_EQ(model[i].window, reference[i].window) << "run " << run << ", ACK " << i;
            ASSERT_EQ(model[i].threshold, reference[i].threshold) << "run " << run << ", ACK " << i;
        }
        bool ended = false, grew = false;
        for (std::size_t i = 1; i < model.size(); ++i) {
            // HyStart: an acknowledgement, not a loss, moved the threshold.
            if (model[i].threshold != model[i - 1].threshold && !acks[i].timeout &&
                !acks[i].fast_retransmit)
                ended = true;
            if (model[i].window > model[i - 1].window && model[i].window > model[i].threshold)
                grew = true;
        }
        ended_slow_start += ended;
        grew_in_avoidance += grew;
    }
    // The comparison covered each rule: HyStart ended slow start, windows grew in congestion
    // avoidance, and both kinds of loss happened.
    EXPECT_GT(ended_slow_start, 100);
    EXPECT_GT(grew_in_avoidance, 100);
    EXPECT_GT(timeouts, 100);
    EXPECT_GT(fast_retransmits, 100);
}

TEST(AckedSegments, CarriesTheRemainderUntilItMakesASegment) {
    AckedSegments acked(kSegment);
    EXPECT_EQ(acked.take(2500), 2u);  // 500 carried
    EXPECT_EQ(acked.take(400), 0u);   // 900 carried
    EXPECT_EQ(acked.take(1200), 2u);  // 1 + 200 -> 1,100: one more, 100 carried
    EXPECT_EQ(acked.take(0), 0u);
}

}  // namespace
}  // namespace sessionsim::net
