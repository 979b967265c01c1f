// The two directions of one modelled connection (message_transport.h), and the control
// packets' sizes: shared by the network (message_transport.cc) and the connection ends
// (message_connection.cc). Internal to the message level.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>

#include <ns3/simulator.h>

#include "sim/apps/message_transport.h"

namespace sessionsim::apps {

/// IPv4 + TCP + the options of a SYN (MSS, window scale, SACK permitted, timestamps).
inline constexpr std::uint32_t kSynBytes = 60;
/// A bare acknowledgement, the handshake's last one and a FIN: header and timestamps.
inline constexpr std::uint32_t kAckBytes = kSegmentHeaderBytes;
/// A reset: IPv4 + TCP, no options.
inline constexpr std::uint32_t kResetBytes = 40;
/// ns-3's ceiling on its doubled retransmission timeout (RFC 6298's 60 s).
inline constexpr double kMaxRtoS = 60;
/// ns-3's own segment size, for a node without TcpSettings.
inline constexpr std::uint32_t kNs3SegmentBytes = 536;

/// The two directions of one modelled connection: what is in flight refers to the pipe, not to
/// the ends, so that an end its owner has dropped is simply not there when a burst arrives.
struct MessagePipe : std::enable_shared_from_this<MessagePipe> {
    std::shared_ptr<MessageNetwork> network;
    std::uint32_t host[2] = {MessageNetwork::kNoHost, MessageNetwork::kNoHost};  // dialler's, other
    std::uint16_t port = 0;
    std::weak_ptr<MessageConnection> end[2];
    bool reset[2] = {false, false};        ///< that end reset the connection (or gave up on it)
    bool fin[2] = {false, false};          ///< that end closed its half
    ns3::Time last_arrival[2];             ///< by sending side: delivery is in order
    ns3::Time last_edge[2];                ///< by sending side: so is reaching the receiver's edge
    std::uint64_t expected[2] = {0, 0};    ///< by sending side: the next burst the other end takes
    std::uint64_t fin_after[2] = {0, 0};   ///< by sending side: bursts sent before its FIN
    bool fin_waiting[2] = {false, false};  ///< a FIN arrived ahead of a resent burst
    /// The accepting end's first SYN-ACK: the handshake's last ACK echoes it, which gives that
    /// end its first RTT sample (ns-3 keeps the SYN-ACK in its RTT history; Karn: not if resent).
    ns3::Time syn_ack_sent = ns3::Time::Min();
    bool syn_ack_resent = false;
    /// How the receiving end acknowledges one direction, as ns-3 3.37's receiver does: the
    /// first data segment after the handshake at once, then every DelAckCount-th segment at
    /// once and the rest when a DelAckTimeout timer runs out, unless data sent back carries the
    /// acknowledgement first (an answer always comes after the decision: ns-3 sends written
    /// data one time step later). The timestamp it echoes: ns-3 takes a new one (TS.Recent)
    /// only from a segment that arrives when a bare ACK has acknowledged everything before it
    /// (m_highTxAck counts bare ACKs only), so after an acknowledgement carried by data the
    /// next one echoes an older timestamp, and the sender measures a longer RTT and sets a
    /// longer retransmission timeout.
    struct Acknowledging {
        std::uint32_t count = 0;      ///< ns-3's m_delAckCount
        bool first_segment = true;    ///< acknowledged at once (ns-3: after the handshake)
        bool unacknowledged = false;  ///< data taken that no ACK has covered yet
        bool timer = false;           ///< the delayed-ACK timer runs, since `since`
        ns3::Time since;
        bool bare_ack_current = true;       ///< a bare ACK covers all that came: echo the next
        ns3::Time echo = ns3::Time::Min();  ///< the send time the next ACK echoes
        bool echo_resent = false;           ///< ...of a resent segment: no RTT sample (Karn)
        std::uint64_t taken_bytes = 0;      ///< stream bytes taken: what an ACK acknowledges
        ns3::Time last_taken;               ///< when the last segment was taken
    };
    Acknowledging acknowledging[2];  ///< by sending side

    /// `arrival` held back behind what `from_side` sent before.
    ns3::Time in_order(int from_side, ns3::Time arrival) {
        arrival = std::max(arrival, last_arrival[from_side]);
        last_arrival[from_side] = arrival;
        return arrival;
    }
    /// The same for reaching the receiver's edge, so that bursts meet the downlink in order.
    ns3::Time edge_in_order(int from_side, ns3::Time edge) {
        edge = std::max(edge, last_edge[from_side]);
        last_edge[from_side] = edge;
        return edge;
    }

    /// A burst's first segment reached the receiver's edge: its segments queue on the
    /// downlink, and its delivery and acknowledgement times are known.
    void burst_at_edge(int from_side, const std::shared_ptr<MessageConnection::Burst>& burst) {
        auto& net = *network;
        const auto from = host[from_side], to = host[1 - from_side];
        const ns3::Time crossed = net.cross_downlink(to, burst->crossing);
        const auto sender = end[from_side].lock();
        const bool more_follows =
            sender && (sender->next_seq_ > burst->seq + 1 || sender->unsent_bytes() > 0);
        const ns3::Time penalty = net.loss_penalty(from, to, burst->crossing, more_follows);
        const ns3::Time through = in_order(from_side, crossed + penalty);
        if (burst->crossing.first_lost)
            net.resend_lost_segments(from, to, burst->crossing, burst->bytes.size());
        if (sender) {
            if (burst->crossing.first_lost) {
                // The sender learns of the loss from duplicate ACKs as the burst's come back,
                // or from its timer one way before the resent segment arrives.
                const bool fast = MessageNetwork::fast_retransmit(burst->crossing, more_follows);
                sender->loss_detected(fast ? crossed + net.base_delay(to, from)
                                           : std::max(crossed, through - net.base_delay(from, to)),
                                      !fast);
            }
            sender->acknowledged_at(burst->seq, net.ack_arrival(to, from, through));
        }
        net.at(to, through,
               [self = shared_from_this(), from_side, burst] { self->deliver(from_side, burst); });
    }

    enum class AckKind {
        bare,       ///< sent as a segment arrives: it queues behind the receiver's uplink data
        delayed,    ///< sent when the delayed-ACK timer ran out (taken lazily, perhaps long
                    ///< after: the uplink's queue then is unknown, so it is not queued)
        with_data,  ///< carried by data the receiver sends: as early as that data
    };

    /// An acknowledgement of what `from_side` sent leaves the receiver at `acked`. If it covers
    /// new data the sender takes it (and its RTT sample, against the echoed send time) when it
    /// arrives.
    void acknowledge(int from_side, ns3::Time acked, AckKind kind) {
        auto& state = acknowledging[from_side];
        const bool new_data = state.unacknowledged;
        state.unacknowledged = false;
        state.count = 0;
        state.timer = false;
        if (kind != AckKind::with_data)
            state.bare_ack_current = true;
        if (!new_data)
            return;
        const auto to = host[from_side], from = host[1 - from_side];
        if (auto sender = end[from_side].lock())
            sender->ack_arrives(kind == AckKind::bare ? network->ack_arrival(from, to, acked)
                                                      : acked + network->base_delay(from, to),
                                state.echo_resent ? ns3::Time::Min() : state.echo,
                                state.taken_bytes);
    }

    /// The receiver's delayed-ACK timer for what `from_side` sent, if it ran out by `by`
    /// (lazily: no event per timer). A receiver that is down by then sends nothing.
    void expire_delayed_ack(int from_side, ns3::Time by) {
        auto& state = acknowledging[from_side];
        const ns3::Time due = state.since + network->tcp_.delayed_ack_timeout;
        if (!state.timer || due > by)
            return;
        if (network->host_up(host[1 - from_side])) {
            acknowledge(from_side, due, AckKind::delayed);
        } else {
            state.timer = false;
            state.count = 0;
        }
    }

    /// `receiver_side` sends data now: it carries the acknowledgement of what it holds.
    void acknowledge_with_data(int receiver_side) {
        const int from_side = 1 - receiver_side;
        expire_delayed_ack(from_side, ns3::Simulator::Now());
        acknowledge(from_side, ns3::Simulator::Now(), AckKind::with_data);
    }

    /// ns-3's count of one segment taken at `at` (ReceivedData's ACK decision).
    void count_segment(int from_side, ns3::Time at) {
        auto& state = acknowledging[from_side];
        if (++state.count >= network->tcp_.delayed_ack_segments || state.first_segment) {
            state.first_segment = false;
            acknowledge(from_side, at, AckKind::bare);
        } else if (!state.timer) {
            state.timer = true;
            state.since = at;
        }
    }

    /// A burst of `from_side`'s is delivered now. Its segments were taken as each came through
    /// the downlink (all now if one was lost: the receiver holds them until the gap is filled),
    /// never before the last segment taken.
    void segments_arrive(int from_side, const MessageConnection::Burst& burst) {
        auto& state = acknowledging[from_side];
        const ns3::Time now = ns3::Simulator::Now();
        const auto& crossing = burst.crossing;
        const std::uint64_t segments = std::max<std::uint64_t>(crossing.count, 1);
        const bool each_known = !crossing.first_lost && crossing.segments.size() == segments;
        const std::uint64_t segment_bytes = network->hosts_[host[from_side]].segment_bytes;
        for (std::uint64_t i = 0; i < segments; ++i) {
            const ns3::Time at = std::max(
                each_known ? std::min(crossing.segments[i].through, now) : now, state.last_taken);
            state.last_taken = at;
            expire_delayed_ack(from_side, at);
            if (state.bare_ack_current) {
                state.echo = burst.sent;
                state.echo_resent = burst.resent;
            }
            state.bare_ack_current = false;
            state.unacknowledged = true;
            const std::uint64_t before = i * segment_bytes;
            if (before < burst.bytes.size())
                state.taken_bytes += std::min(segment_bytes, burst.bytes.size() - before);
            count_segment(from_side, at);
        }
    }

    /// ns-3 answers a SYN to a port nobody listens on with nothing: the dialler's SYN timer
    /// runs out its retries.
    void syn_arrives() {
        auto& net = *network;
        if (!net.host_up(host[1]) || net.listening_.count({host[1], port}) == 0)
            return;
        if (syn_ack_sent == ns3::Time::Min())
            syn_ack_sent = ns3::Simulator::Now();
        else
            syn_ack_resent = true;
        // If the SYN-ACK is lost, the dialler's SYN timer tries again.
        net.send_packet(host[1], host[0], kSynBytes, false, nullptr, 1,
                        [self = shared_from_this()] {
                            if (auto dialler = self->end[0].lock())
                                dialler->syn_answered();
                        });
    }

    /// The handshake's last ACK: the accepting end is made, as ns-3's accept callback makes it.
    void established(int) {
        auto& net = *network;
        if (!net.host_up(host[1]))
            return;
        const auto it = net.listening_.find({host[1], port});
        if (it == net.listening_.end())
            return;                         // what follows is answered by resets
        const auto listening = it->second;  // the accept handler may close the listener
        std::shared_ptr<MessageConnection> accepted(new MessageConnection(
            net.hosts_[host[0]].address, listening.on_frame, listening.on_close));
        accepted->network_ = network;
        accepted->pipe_ = shared_from_this();
        accepted->side_ = 1;
        accepted->connected_ = true;
        accepted->window_.emplace(net.new_window(host[1]));
        end[1] = accepted;
        if (!syn_ack_resent && syn_ack_sent != ns3::Time::Min())
            accepted->ack_arrives(ns3::Simulator::Now(), syn_ack_sent, 0);
        if (listening.on_accept)
            listening.on_accept(accepted);
    }

    void deliver(int from_side, const std::shared_ptr<MessageConnection::Burst>& burst) {
        const int to_side = 1 - from_side;
        if (!network->host_up(host[to_side])) {
            if (auto sender = end[from_side].lock())
                sender->on_lost(*burst);
            return;
        }
        if (burst->seq < expected[from_side])
            return;  // a copy of what already arrived
        if (burst->seq > expected[from_side]) {
            // An earlier burst was lost: TCP delivers nothing past it until it is resent.
            if (auto sender = end[from_side].lock())
                sender->hold(*burst);
            return;
        }
        auto receiver = end[to_side].lock();
        const bool gone = !receiver || reset[to_side];
        if (gone && !fin[to_side]) {
            // The end crashed (or was never accepted). A segment to the port a host listens on
            // reaches its listening socket, which ignores it: the sender resends until it gives
            // up. Any other port has no socket, and ns-3's TCP answers with a reset (a dialler
            // that crashed and came back resets what its peers still send it).
            const bool listened = to_side == 1 && network->listening_.count({host[1], port}) > 0;
            if (!listened) {
                network->send_packet(
                    host[to_side], host[from_side], kResetBytes, false, nullptr, to_side,
                    [self = shared_from_this(), to_side] { self->reset_arrives(to_side); });
            } else if (auto sender = end[from_side].lock()) {
                sender->on_lost(*burst);
            }
            return;
        }
        ++expected[from_side];
        segments_arrive(from_side, *burst);
        if (!gone) {
            // A receiver that closed its half still takes what was sent, as ns-3's does.
            std::memcpy(receiver->receive_buffer(burst->bytes.size()), burst->bytes.data(),
                        burst->bytes.size());
            receiver->take_received();
        }
        if (burst->attempt > 0) {
            if (auto sender = end[from_side].lock())
                sender->on_recovered(burst->seq);
        }
        if (fin_waiting[from_side] && expected[from_side] >= fin_after[from_side])
            take_fin(from_side);
    }

    /// A FIN counts once every burst sent before it has been taken (TCP's FIN is in sequence).
    void fin_arrives(int from_side) {
        if (!network->host_up(host[1 - from_side]))
            return;
        if (expected[from_side] < fin_after[from_side]) {
            fin_waiting[from_side] = true;  // a burst before it was lost and is being resent
            return;
        }
        take_fin(from_side);
    }

    void take_fin(int from_side) {
        fin_waiting[from_side] = false;
        if (auto receiver = end[1 - from_side].lock(); receiver && !receiver->closed())
            receiver->peer_closed();
    }

    void reset_arrives(int from_side) {
        if (!network->host_up(host[1 - from_side]))
            return;
        if (auto receiver = end[1 - from_side].lock())
            receiver->on_reset();
    }
};

}  // namespace sessionsim::apps
