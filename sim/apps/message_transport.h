// The message-level transport (network.transport = "message"): a connection is a modelled TCP
// connection between two hosts' access links, not an ns-3 socket. No internet stack, no
// packets, no per-segment events: a burst of bytes costs two events, at the receiver's edge and
// at its delivery. What it
// keeps of the packet level (tcp_transport.h, the reference it is validated against):
//
// - Opening: the three-way handshake as three control packets (SYN, SYN-ACK, and the ACK that
//   makes the accepting side's connection), then the modelled TLS/QUIC round trips as frames,
//   exactly as the packet level exchanges them. An unanswered SYN is sent again after ns-3's
//   ConnTimeout, doubled each time, ConnCount times in all. As in ns-3 3.37, a SYN to a port
//   nobody listens on goes unanswered (no reset), and so does it run out of retries.
// - Each burst (what the congestion window lets out at once, at most an initial window) is cut
//   into segments of the sending host's TCP segment size plus 52 header bytes (IPv4, TCP,
//   timestamps), each queued on the sender's uplink and the receiver's downlink (the same
//   WanNetDevice queues, rates and drop-tail limits as the packet level), one core delay (the
//   same latency model, one jitter draw) between them: one event when the first segment
//   reaches the receiver's edge (the downlink queue), one at delivery. Simplification: all
//   the burst's segments take their place in the downlink queue then, not as each arrives.
// - The congestion window is ns-3's TcpCubic's, reproduced rule for rule by net::CubicWindow
//   (sim/net/cubic_window.h): slow start from InitialCwnd segments counting acknowledged bytes,
//   HyStart's ACK-train and delay rules, CUBIC's congestion avoidance. It takes the
//   acknowledgements as ns-3's receiver sends them: each segment of a burst is taken when it
//   is through the receiver's downlink, and acknowledged at once, with the next segment, at
//   the delayed-ACK timeout or by data going back (message_pipe.h, Acknowledging). A bare ACK
//   waits behind the data queued on the receiver's uplink and the sender's downlink (it is not
//   counted against them). In flight is what no ACK has covered yet, at most
//   min(SndBufSize, RcvBufSize) bytes; each arriving ACK lets out what the window then allows.
//   With network.tcp_slow_start_restart a write on a connection with nothing in flight and no
//   data sent for longer than Linux's retransmission timeout (the smoothed RTT plus four mean
//   deviations, the deviation term at least 200 ms) shrinks the window as AbortableTcpSocket
//   does at the packet level. Delivery on a connection is in order.
// - A data segment the core loses (network.loss) or a full queue drops delays its burst by a
//   retransmission timeout (max(MinRto, 3 x the round trip)), or by one round trip if three
//   later segments (of the burst, or sent or waiting behind it) bring duplicate ACKs; the lost
//   segments take link time again, and the window falls as CUBIC's does after a fast
//   retransmit or a timeout, once per loss episode. A lost SYN or SYN-ACK is resent by the
//   SYN timer; a lost FIN or reset is not resent.
// - The RTT estimate (RFC 6298, as ns-3's RttMeanDeviation) takes the samples ns-3's
//   timestamps give: the handshake's round trip (the SYN-ACK's at the dialler, the last ACK's
//   at the accepting end), then one per acknowledgement of new data, against the send time the
//   receiver echoes. The receiver acknowledges as ns-3's does (first data
//   segment at once, then every DelAckCount-th, the rest at DelAckTimeout unless data going
//   back carries the acknowledgement) and echoes what ns-3 echoes (message_pipe.h,
//   Acknowledging). The retransmission timeout is ns-3's: max(MinRto, srtt + max(clock
//   granularity, 4 deviations)).
// - A burst that reaches a host that is down (or cannot leave its own) is lost: the sender
//   resends it after its retransmission timeout, doubled each time up to 60 s, DataRetries
//   times, holding back what it sends meanwhile (the window restarts from one segment, as
//   after ns-3's timeout); then it gives up on the connection. As in
//   ns-3, a burst that reaches a host whose end of the connection is gone (it crashed and came
//   back) is not answered either if the host listens on that port (its listening socket takes
//   the segment and ignores it): the sender gives up the same way. A dialler's port has no
//   socket left, and ns-3's TCP answers with a reset.
// - close() sends a FIN behind the data (taken only once every burst before it is); the peer
//   learns of it on its arrival. abort() sends a reset if its host is up.
// ns-3's TCP defaults (InitialCwnd, buffers, MinRto, ClockGranularity, ConnTimeout, ConnCount,
// DataRetries, DelAckCount, DelAckTimeout, TcpCubic's) are read from ns-3's own attributes, so
// that both levels start from the same numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <ns3/ptr.h>
#include <ns3/simulator.h>

#include "sim/apps/stream_connection.h"
#include "sim/net/cubic_window.h"
#include "sim/net/wan_channel.h"
#include "sim/net/wan_helper.h"

namespace sessionsim::apps {

class MessageNetwork;
struct MessagePipe;

/// ns-3's TCP defaults that the message level reproduces (read from ns-3's attributes).
struct ModelledTcp {
    std::uint32_t initial_window_segments;
    std::uint32_t buffer_bytes;  ///< min(SndBufSize, RcvBufSize): the most in flight
    ns3::Time min_rto;
    ns3::Time syn_timeout;               ///< ConnTimeout
    std::uint32_t syn_attempts;          ///< ConnCount
    std::uint32_t data_retries;          ///< DataRetries
    ns3::Time clock_granularity;         ///< ClockGranularity: the RTO's least variation term
    ns3::Time delayed_ack_timeout;       ///< DelAckTimeout
    std::uint32_t delayed_ack_segments;  ///< DelAckCount: segments acknowledged at once
    net::CubicParameters cubic;          ///< the congestion control ns-3's sockets run
    static ModelledTcp from_ns3();
};

/// IPv4 (20) + TCP (20) + timestamp option (12) bytes on every data segment.
inline constexpr std::uint32_t kSegmentHeaderBytes = 52;

/// Segments on their way from one host to another: through the sender's uplink and the core
/// when sent, through the receiver's downlink when the first of them reaches its edge.
struct Crossing {
    struct Segment {
        ns3::Time arrival;  ///< at the receiver's edge
        std::uint32_t wire = 0;
        std::uint64_t index = 0;
        ns3::Time through;  ///< through the receiver's downlink (once it has crossed it)
    };
    std::vector<Segment> segments;  ///< those not lost on the uplink or in the core
    std::uint64_t count = 0;        ///< segments sent
    std::optional<std::uint64_t> first_lost;
    ns3::Time core;  ///< the core delay drawn for them
    /// When the first segment reaches the receiver's edge (with none left: one core delay).
    ns3::Time edge(ns3::Time sent) const;
};

/// One end of a modelled connection.
class MessageConnection final : public StreamConnection {
public:
    ~MessageConnection() override;

private:
    friend class MessageNetwork;
    friend struct MessagePipe;
    using StreamConnection::StreamConnection;

    /// A burst of stream bytes on its way, kept until it is delivered.
    struct Burst {
        std::uint64_t seq = 0;
        std::string bytes;
        ns3::Time sent;       ///< this transmission's
        int attempt = 0;      ///< 0: the first transmission
        bool resent = false;  ///< retransmitted, or resent behind a lost burst: no RTT sample
        ns3::Time rto;        ///< the retransmission timeout when it first left (zero: not yet)
        Crossing crossing;
    };
    /// A burst sent and not yet acknowledged, for the liveness checks and the bookkeeping of
    /// losses (the window counts bytes: sent_through_ - acked_through_).
    struct InFlight {
        std::uint64_t seq;
        ns3::Time acked_at;  ///< Time::Max() while lost
    };

    /// What reaches this end about its own data: acknowledgements, and the losses it detects.
    struct Arrival {
        enum class Kind { ack, fast_retransmit, timeout };
        ns3::Time at;
        Kind kind = Kind::ack;
        ns3::Time echo = ns3::Time::Min();  ///< the timestamp an ACK echoes (Min: no sample)
        std::uint64_t acked_through = 0;    ///< stream bytes an ACK acknowledges, cumulative
    };

    void write(std::string bytes) override;
    /// Shrinks the window before a write after idleness (network.tcp_slow_start_restart).
    void restart_slow_start_if_idle();
    /// An acknowledgement of stream bytes up to `acked_through` reaches this end at `at`,
    /// echoing the timestamp of a segment sent at `echo` (Min: it gives no RTT sample). It is
    /// taken once `at` has come (take_arrivals).
    void ack_arrives(ns3::Time at, ns3::Time echo, std::uint64_t acked_through);
    void add_arrival(Arrival arrival);
    /// This end detects at `at` that a segment was lost: by duplicate ACKs, or by its timer.
    void loss_detected(ns3::Time at, bool by_timeout);
    /// Takes what has arrived by now, in time order: each ACK's RTT sample into the estimate,
    /// as ns-3's EstimateRtt does, then into the congestion window, as TcpCubic takes it.
    void take_arrivals();
    void note_rtt_sample(ns3::Time sample);
    /// ns-3's retransmission timeout now (its handshake estimate until a sample comes).
    ns3::Time retransmission_timeout() const;
    void close_stream() override;
    void reset_stream() override;
    bool awaiting_ack() const override;
    ns3::Time ack_wait_since() const override;

    std::uint32_t own_host() const;
    std::uint32_t peer_host() const;
    // dialling
    void send_syn(std::uint32_t attempt);
    void syn_answered();
    // the window and the bursts in flight
    void release_acknowledged();
    void pump();
    void transmit(Burst burst);
    void send_burst(Burst burst);
    /// The burst's acknowledgement comes back at `when` (known once it crossed the downlink).
    void acknowledged_at(std::uint64_t seq, ns3::Time when);
    /// Wakes pump() when the next ACK on its way arrives, if bytes wait for room.
    void arm_window_wait();
    InFlight* find_in_flight(std::uint64_t seq);
    void on_lost(Burst burst);
    /// Keeps `burst` back until the lost burst before it is through (TCP's in-order stream).
    void hold(Burst burst);
    void on_recovered(std::uint64_t seq);
    void retransmit();
    // the end of the stream
    void send_control(std::uint32_t bytes, void (MessagePipe::*on_arrival)(int from_side),
                      bool lossless = false);
    void on_reset();
    /// Forgets the stream: nothing more is sent or resent (a reset either way, or giving up).
    void drop_stream();
    void release_closing_hold();
    void stop_timers();
    std::size_t unsent_bytes() const;

    std::shared_ptr<MessageNetwork> network_;
    std::shared_ptr<MessagePipe> pipe_;
    int side_ = 0;  ///< 0: the dialler, 1: the accepting end
    bool connected_ = false;
    ns3::EventId syn_timer_;
    std::string unsent_;  ///< written, not yet let out by the window, from unsent_from_
    std::size_t unsent_from_ = 0;
    std::optional<net::CubicWindow> window_;  ///< made with the connection
    std::uint64_t sent_through_ = 0;          ///< stream bytes let out (ns-3's high mark)
    std::uint64_t acked_through_ = 0;         ///< stream bytes acknowledged
    /// A loss lowers the window once per recovery: until what had been sent when it was
    /// detected is acknowledged (ns-3's m_recover), later losses are part of the same one.
    std::uint64_t recovery_point_ = 0;
    /// ns-3's RTT estimator (RFC 6298's gains), fed what ns-3's timestamps measure: the
    /// acknowledgements as ns-3's receiver sends them, delayed ones included; zero before the
    /// first. It sets the retransmission timeout and slow-start restart's idle threshold.
    ns3::Time smoothed_rtt_;
    ns3::Time rtt_deviation_;
    ns3::Time rto_;                  ///< zero before the first sample
    std::vector<Arrival> arrivals_;  ///< not yet taken, in time order: some may lie ahead
    ns3::Time last_syn_sent_;
    bool syn_resent_ = false;
    ns3::Time last_data_sent_ = ns3::Time::Min();  ///< Min: no data sent yet
    std::uint64_t next_seq_ = 0;
    /// In seq order, the oldest first. A vector, not a deque: an empty std::deque allocates
    /// ~600 bytes, and every connection end has this (the few in flight are erased in a batch).
    std::vector<InFlight> in_flight_;
    ns3::Time last_ack_progress_;
    ns3::Time ack_wait_since_;
    ns3::EventId window_wait_;
    ns3::Time window_wait_at_;
    std::map<std::uint64_t, Burst> resend_;  ///< lost, and held back behind them, by seq
    ns3::EventId retransmit_timer_;
    std::uint32_t retransmit_attempt_ = 0;
    bool fin_pending_ = false;  ///< closed: a FIN follows the last byte
    /// Held while a closed connection still has bytes to send, so that they and the FIN go
    /// out even if the owner drops it (an ns-3 socket outlives its owner's close too).
    std::shared_ptr<MessageConnection> closing_self_;
};

/// The hosts, listeners and TCP numbers of one network in message mode, shared by every
/// node's MessageTransport and every connection.
class MessageNetwork {
public:
    /// Serves the hosts of `wan` (built without an internet stack).
    explicit MessageNetwork(const net::Wan& wan);

    std::shared_ptr<Connection> connect(const std::shared_ptr<MessageNetwork>& self,
                                        ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                        std::uint16_t port, int handshake_round_trips,
                                        Connection::FrameHandler on_frame,
                                        Connection::CloseHandler on_close);
    std::unique_ptr<Listener> listen(const std::shared_ptr<MessageNetwork>& self,
                                     ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                     Connection::FrameHandler on_frame,
                                     Connection::CloseHandler on_close,
                                     Transport::AcceptHandler on_accept);

    const ModelledTcp& tcp() const { return tcp_; }

private:
    friend class MessageConnection;
    friend class MessageListener;
    friend struct MessagePipe;

    struct Host {
        std::uint32_t node_id = 0;  ///< its node's (not the node: the node holds the network)
        ns3::Ptr<net::WanNetDevice> device;
        ns3::Ipv4Address address;
        std::uint32_t segment_bytes = 0;
        bool slow_start_restart = false;
    };
    struct Listening {
        std::uint64_t id = 0;  ///< which listener registered it
        Connection::FrameHandler on_frame;
        Connection::CloseHandler on_close;
        Transport::AcceptHandler on_accept;
    };
    static constexpr std::uint32_t kNoHost = ~0u;

    std::uint32_t host_of(const ns3::Ptr<ns3::Node>& node) const;
    std::uint32_t host_at(ns3::Ipv4Address address) const;
    /// Sends `bytes` of stream (or, with `bytes` zero, one control packet of `control_bytes`)
    /// from `from` towards `to` through the uplink and the core; nothing if `from` is down.
    std::optional<Crossing> cross_uplink(std::uint32_t from, std::uint32_t to, std::uint64_t bytes,
                                         std::uint32_t control_bytes, bool lossless);
    /// Queues the crossing's segments on `to`'s downlink (now: the first has reached its edge);
    /// returns when the last is through.
    ns3::Time cross_downlink(std::uint32_t to, Crossing& crossing);
    /// What the crossing's lost segments cost: a fast retransmit's round trip or a
    /// retransmission timeout; zero if none was lost. `more_follows`: the sender has sent more
    /// behind these segments, or has more to send, whose ACKs come back as duplicates.
    ns3::Time loss_penalty(std::uint32_t from, std::uint32_t to, const Crossing& crossing,
                           bool more_follows) const;
    /// Whether the crossing's first lost segment is recovered by a fast retransmit: three
    /// segments follow it (in the crossing, or `more_follows`).
    static bool fast_retransmit(const Crossing& crossing, bool more_follows);
    /// A new connection end's congestion window on `host`.
    net::CubicWindow new_window(std::uint32_t host) const {
        return net::CubicWindow(tcp_.cubic, hosts_[host].segment_bytes,
                                tcp_.initial_window_segments);
    }
    /// The crossing's lost segments of a burst of `bytes` are sent again: they take their place
    /// on both access links once more. Simplification: behind what the links hold now, not a
    /// round trip later; the delivery waits for the loss penalty.
    void resend_lost_segments(std::uint32_t from, std::uint32_t to, const Crossing& crossing,
                              std::uint64_t bytes);
    /// One control packet: `arrived` runs at `to` once it is through; nothing runs if `from` is
    /// down or (unless `lossless`) the packet is lost. With `pipe`, it keeps its place behind
    /// what `side` sent before on that connection.
    void send_packet(std::uint32_t from, std::uint32_t to, std::uint32_t bytes, bool lossless,
                     std::shared_ptr<MessagePipe> pipe, int side, std::function<void()> arrived);
    /// One core delay without jitter or queueing.
    ns3::Time base_delay(std::uint32_t from, std::uint32_t to) const;
    /// When a bare ACK `from` sends at `at` reaches `to`: behind the data queued on `from`'s
    /// uplink, one core delay without jitter, then behind what `to`'s downlink holds.
    ns3::Time ack_arrival(std::uint32_t from, std::uint32_t to, ns3::Time at) const;
    ns3::Time retransmission_timeout(std::uint32_t a, std::uint32_t b) const;
    bool host_up(std::uint32_t host) const;
    /// Runs `what` at `when` in the context of host `host`'s node (as the packet level's
    /// deliveries run). A template, so that the event holds the callable itself rather than a
    /// std::function around it: this runs twice for every burst.
    template <typename Callable>
    void at(std::uint32_t host, ns3::Time when, Callable what) const {
        ns3::Simulator::ScheduleWithContext(hosts_[host].node_id, when - ns3::Simulator::Now(),
                                            std::move(what));
    }

    ns3::Ptr<net::WanChannel> channel_;
    std::vector<Host> hosts_;
    std::unordered_map<std::uint32_t, std::uint32_t> host_of_node_;     // node id -> host
    std::unordered_map<std::uint32_t, std::uint32_t> host_of_address_;  // IPv4 -> host
    std::map<std::pair<std::uint32_t, std::uint16_t>, Listening> listening_;
    std::uint64_t next_listener_id_ = 1;
    ModelledTcp tcp_ = ModelledTcp::from_ns3();
};

/// The message level as a node's Transport (ns-3 aggregates an object to one node only, so
/// each node gets its own small handle on the shared MessageNetwork).
class MessageTransport final : public Transport {
public:
    static ns3::TypeId GetTypeId();
    MessageTransport() = default;
    explicit MessageTransport(std::shared_ptr<MessageNetwork> network)
        : network_(std::move(network)) {}

    std::shared_ptr<Connection> connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                        std::uint16_t port, int handshake_round_trips,
                                        Connection::FrameHandler on_frame,
                                        Connection::CloseHandler on_close) override;
    std::unique_ptr<Listener> listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                     Connection::FrameHandler on_frame,
                                     Connection::CloseHandler on_close,
                                     AcceptHandler on_accept) override;

protected:
    /// Lets go of the network when ns-3 disposes of the node (the network refers to the
    /// node's device, which refers to the node).
    void DoDispose() override;

private:
    std::shared_ptr<MessageNetwork> network_;
};

/// Puts every host of `wan` (built without an internet stack) on the message level: a
/// MessageTransport aggregated to each node, all sharing one MessageNetwork (returned).
std::shared_ptr<MessageNetwork> install_message_transport(const net::Wan& wan);

}  // namespace sessionsim::apps
