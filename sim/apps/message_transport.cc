#include "sim/apps/message_transport.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <ns3/abort.h>
#include <ns3/tcp-socket-base.h>
#include <ns3/tcp-socket.h>
#include <ns3/uinteger.h>

#include "sim/net/tcp_settings.h"

namespace sessionsim::apps {

namespace {

/// IPv4 + TCP + the options of a SYN (MSS, window scale, SACK permitted, timestamps).
constexpr std::uint32_t kSynBytes = 60;
/// A bare acknowledgement, the handshake's last one and a FIN: header and timestamps.
constexpr std::uint32_t kAckBytes = kSegmentHeaderBytes;
/// A reset: IPv4 + TCP, no options.
constexpr std::uint32_t kResetBytes = 40;
/// ns-3's ceiling on its doubled retransmission timeout (RFC 6298's 60 s).
constexpr double kMaxRtoS = 60;
/// ns-3's own segment size, for a node without TcpSettings.
constexpr std::uint32_t kNs3SegmentBytes = 536;

ns3::Ptr<const ns3::AttributeValue> initial_value(ns3::TypeId tid, const char* name) {
    ns3::TypeId::AttributeInformation info;
    NS_ABORT_MSG_UNLESS(tid.LookupAttributeByName(name, &info),
                        "ns-3 has no attribute " << tid.GetName() << "::" << name);
    return info.initialValue;
}

std::uint32_t uinteger(ns3::TypeId tid, const char* name) {
    const auto value = ns3::DynamicCast<const ns3::UintegerValue>(initial_value(tid, name));
    NS_ABORT_MSG_UNLESS(value, tid.GetName() << "::" << name << " is not an integer");
    return static_cast<std::uint32_t>(value->Get());
}

ns3::Time time(ns3::TypeId tid, const char* name) {
    const auto value = ns3::DynamicCast<const ns3::TimeValue>(initial_value(tid, name));
    NS_ABORT_MSG_UNLESS(value, tid.GetName() << "::" << name << " is not a time");
    return value->Get();
}

}  // namespace

ModelledTcp ModelledTcp::from_ns3() {
    const auto socket = ns3::TcpSocket::GetTypeId();
    const auto base = ns3::TcpSocketBase::GetTypeId();
    return {
        .initial_window_segments = uinteger(socket, "InitialCwnd"),
        .buffer_bytes = std::min(uinteger(socket, "SndBufSize"), uinteger(socket, "RcvBufSize")),
        .min_rto = time(base, "MinRto"),
        .syn_timeout = time(socket, "ConnTimeout"),
        .syn_attempts = uinteger(socket, "ConnCount"),
        .data_retries = uinteger(socket, "DataRetries")};
}

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
        ns3::Time through = net.cross_downlink(to, burst->crossing);
        through = in_order(from_side, through + net.loss_penalty(from, to, burst->crossing));
        if (auto sender = end[from_side].lock())
            sender->acknowledged_at(burst->seq, through + net.base_delay(to, from));
        net.at(to, through,
               [self = shared_from_this(), from_side, burst] { self->deliver(from_side, burst); });
    }

    /// ns-3 answers a SYN to a port nobody listens on with nothing: the dialler's SYN timer
    /// runs out its retries.
    void syn_arrives() {
        auto& net = *network;
        if (!net.host_up(host[1]) || net.listening_.count({host[1], port}) == 0)
            return;
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
        accepted->window_bytes_ = static_cast<std::uint64_t>(net.tcp_.initial_window_segments) *
                                  net.hosts_[host[1]].segment_bytes;
        end[1] = accepted;
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
            // The end crashed (or was never accepted): ns-3 answers a segment for a connection
            // it does not have with nothing, so the sender resends until it gives up.
            if (auto sender = end[from_side].lock())
                sender->on_lost(*burst);
            return;
        }
        ++expected[from_side];
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

/// A port a host listens on, until closed.
class MessageListener final : public Listener {
public:
    MessageListener(std::shared_ptr<MessageNetwork> network, std::uint32_t host, std::uint16_t port,
                    std::uint64_t id)
        : network_(std::move(network)), host_(host), port_(port), id_(id) {}
    ~MessageListener() override { close(); }
    void close() override {
        const auto it = network_->listening_.find({host_, port_});
        if (it != network_->listening_.end() && it->second.id == id_)
            network_->listening_.erase(it);
    }

private:
    std::shared_ptr<MessageNetwork> network_;
    std::uint32_t host_;
    std::uint16_t port_;
    std::uint64_t id_;
};

// --- MessageNetwork ---

MessageNetwork::MessageNetwork(const net::Wan& wan) : channel_(wan.channel) {
    for (std::size_t i = 0; i < wan.devices.size(); ++i) {
        const auto node = wan.nodes.Get(static_cast<std::uint32_t>(i));
        const auto settings = node->GetObject<net::TcpSettings>();
        hosts_.push_back({node->GetId(), wan.devices[i], wan.addresses[i],
                          settings ? settings->segment_bytes() : kNs3SegmentBytes});
        host_of_node_[node->GetId()] = static_cast<std::uint32_t>(i);
        host_of_address_[wan.addresses[i].Get()] = static_cast<std::uint32_t>(i);
    }
}

std::uint32_t MessageNetwork::host_of(const ns3::Ptr<ns3::Node>& node) const {
    const auto it = host_of_node_.find(node->GetId());
    NS_ABORT_MSG_IF(it == host_of_node_.end(),
                    "node " << node->GetId() << " is not on this message-level network");
    return it->second;
}

std::uint32_t MessageNetwork::host_at(ns3::Ipv4Address address) const {
    const auto it = host_of_address_.find(address.Get());
    return it == host_of_address_.end() ? kNoHost : it->second;
}

bool MessageNetwork::host_up(std::uint32_t host) const {
    return hosts_[host].device->IsHostUp();
}

void MessageNetwork::at(std::uint32_t host, ns3::Time when, std::function<void()> what) const {
    ns3::Simulator::ScheduleWithContext(hosts_[host].node_id, when - ns3::Simulator::Now(),
                                        std::move(what));
}

ns3::Time MessageNetwork::base_delay(std::uint32_t from, std::uint32_t to) const {
    return channel_->BaseDelay(*hosts_[from].device, *hosts_[to].device);
}

ns3::Time MessageNetwork::retransmission_timeout(std::uint32_t a, std::uint32_t b) const {
    // ns-3's RFC 6298 estimate after the handshake's sample: srtt + 4 x (srtt / 2).
    return std::max(tcp_.min_rto, 3 * (base_delay(a, b) + base_delay(b, a)));
}

std::optional<Crossing> MessageNetwork::cross_uplink(std::uint32_t from, std::uint32_t to,
                                                     std::uint64_t bytes,
                                                     std::uint32_t control_bytes, bool lossless) {
    auto& sender = *hosts_[from].device;
    const auto& receiver = *hosts_[to].device;
    if (!sender.IsHostUp())
        return std::nullopt;
    const ns3::Time now = ns3::Simulator::Now();
    const ns3::Time core = channel_->DrawDelay(sender, receiver);
    const std::uint64_t segment = hosts_[from].segment_bytes;
    Crossing crossing;
    crossing.count = bytes == 0 ? 1 : (bytes + segment - 1) / segment;
    crossing.core = core;
    crossing.segments.reserve(crossing.count);
    for (std::uint64_t i = 0; i < crossing.count; ++i) {
        const auto wire = bytes == 0 ? control_bytes
                                     : kSegmentHeaderBytes + static_cast<std::uint32_t>(std::min(
                                                                 segment, bytes - i * segment));
        const ns3::Time left = sender.EnqueueUp(now, wire);
        if (left.IsNegative() || (!lossless && channel_->DrawLoss())) {
            if (!crossing.first_lost)
                crossing.first_lost = i;  // a full uplink queue, or the core lost it
            continue;
        }
        crossing.segments.push_back({left + core, wire, i});
    }
    return crossing;
}

ns3::Time Crossing::edge(ns3::Time now) const {
    return segments.empty() ? now + core : segments.front().arrival;
}

ns3::Time MessageNetwork::cross_downlink(std::uint32_t to, Crossing& crossing) {
    auto& receiver = *hosts_[to].device;
    ns3::Time through = ns3::Simulator::Now();
    for (const auto& segment : crossing.segments) {
        const ns3::Time done = receiver.EnqueueDown(segment.arrival, segment.wire);
        if (done.IsNegative()) {
            if (!crossing.first_lost || segment.index < *crossing.first_lost)
                crossing.first_lost = segment.index;  // a full downlink queue
            continue;
        }
        through = std::max(through, done);
    }
    return through;
}

ns3::Time MessageNetwork::loss_penalty(std::uint32_t from, std::uint32_t to,
                                       const Crossing& crossing) const {
    if (!crossing.first_lost)
        return ns3::Time(0);
    // Three later segments bring three duplicate ACKs: a fast retransmit costs a round trip;
    // otherwise the retransmission timer has to fire.
    return *crossing.first_lost + 3 < crossing.count ? base_delay(from, to) + base_delay(to, from)
                                                     : retransmission_timeout(from, to);
}

void MessageNetwork::send_packet(std::uint32_t from, std::uint32_t to, std::uint32_t bytes,
                                 bool lossless, std::shared_ptr<MessagePipe> pipe, int side,
                                 std::function<void()> arrived) {
    auto crossing = cross_uplink(from, to, 0, bytes, lossless);
    if (!crossing || crossing->first_lost)
        return;  // the sender is down, or the packet was lost: its own timer resends it, if any
    ns3::Time edge = crossing->edge(ns3::Simulator::Now());
    if (pipe)
        edge = pipe->edge_in_order(side, edge);
    at(to, edge,
       [this, to, lossless, pipe, side, crossing = std::move(*crossing),
        arrived = std::move(arrived)]() mutable {
           ns3::Time through = cross_downlink(to, crossing);
           if (crossing.first_lost && !lossless)
               return;
           if (pipe)
               through = pipe->in_order(side, through);
           at(to, through, std::move(arrived));
       });
}

std::shared_ptr<Connection> MessageNetwork::connect(const std::shared_ptr<MessageNetwork>& self,
                                                    ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                                    std::uint16_t port, int handshake_round_trips,
                                                    Connection::FrameHandler on_frame,
                                                    Connection::CloseHandler on_close) {
    std::shared_ptr<MessageConnection> c(
        new MessageConnection(to, std::move(on_frame), std::move(on_close), handshake_round_trips));
    c->network_ = self;
    c->pipe_ = std::make_shared<MessagePipe>();
    c->pipe_->network = self;
    c->pipe_->host[0] = host_of(node);
    c->pipe_->host[1] = host_at(to);
    c->pipe_->port = port;
    c->pipe_->end[0] = c;
    c->window_bytes_ = static_cast<std::uint64_t>(tcp_.initial_window_segments) *
                       hosts_[host_of(node)].segment_bytes;
    c->send_syn(0);
    return c;
}

std::unique_ptr<Listener> MessageNetwork::listen(const std::shared_ptr<MessageNetwork>& self,
                                                 ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                                 Connection::FrameHandler on_frame,
                                                 Connection::CloseHandler on_close,
                                                 Transport::AcceptHandler on_accept) {
    const auto host = host_of(node);
    const auto id = next_listener_id_++;
    listening_[{host, port}] = {id, std::move(on_frame), std::move(on_close), std::move(on_accept)};
    return std::make_unique<MessageListener>(self, host, port, id);
}

// --- MessageConnection ---

MessageConnection::~MessageConnection() {
    stop_timers();
}

std::uint32_t MessageConnection::own_host() const {
    return pipe_->host[side_];
}

std::uint32_t MessageConnection::peer_host() const {
    return pipe_->host[1 - side_];
}

void MessageConnection::stop_timers() {
    syn_timer_.Cancel();
    window_wait_.Cancel();
    retransmit_timer_.Cancel();
}

void MessageConnection::send_syn(std::uint32_t attempt) {
    if (connected_ || closed())
        return;
    if (attempt >= network_->tcp_.syn_attempts) {
        fail(CloseCause::handshake_failed);
        return;
    }
    if (peer_host() != MessageNetwork::kNoHost) {
        network_->send_packet(own_host(), peer_host(), kSynBytes, false, nullptr, 0,
                              [pipe = pipe_] { pipe->syn_arrives(); });
    }
    syn_timer_ = ns3::Simulator::Schedule(network_->tcp_.syn_timeout * (1 << attempt),
                                          &MessageConnection::send_syn, this, attempt + 1);
}

void MessageConnection::syn_answered() {
    if (connected_ || closed() || !network_->host_up(own_host()))
        return;
    syn_timer_.Cancel();
    connected_ = true;
    // The handshake's last ACK goes first on the stream: it makes the accepting end. Were it
    // lost, the data behind it would carry the acknowledgement, so it is never lost here.
    send_control(kAckBytes, &MessagePipe::established, true);
    transport_connected();
}

void MessageConnection::send_control(std::uint32_t bytes,
                                     void (MessagePipe::*on_arrival)(int from_side),
                                     bool lossless) {
    network_->send_packet(
        own_host(), peer_host(), bytes, lossless, pipe_, side_,
        [pipe = pipe_, side = side_, on_arrival] { ((*pipe).*on_arrival)(side); });
}

void MessageConnection::write(std::string bytes) {
    if (bytes.empty() || pipe_->reset[side_])
        return;
    if (!awaiting_ack())
        ack_wait_since_ = ns3::Simulator::Now();  // the first byte the peer owes an ACK for
    count_sent(bytes.size());
    unsent_ += bytes;
    pump();
}

std::size_t MessageConnection::unsent_bytes() const {
    return unsent_.size() - unsent_from_;
}

void MessageConnection::release_acknowledged() {
    const ns3::Time now = ns3::Simulator::Now();
    while (!in_flight_.empty() && in_flight_.front().acked_at <= now) {
        const auto& acked = in_flight_.front();
        last_ack_progress_ = std::max(last_ack_progress_, acked.acked_at);
        in_flight_bytes_ -= acked.bytes;
        // Slow start: the window grows by what each acknowledgement covers (no loss ends it).
        window_bytes_ = std::min<std::uint64_t>(window_bytes_ + acked.bytes, 1ULL << 40);
        in_flight_.pop_front();
    }
}

void MessageConnection::pump() {
    if (pipe_->reset[side_])
        return;
    release_acknowledged();
    const ns3::Time now = ns3::Simulator::Now();
    // Bursts of at most an initial window each, so that a full window is several bursts whose
    // acknowledgements free it bit by bit and keep the uplink busy, as ACKs do.
    const std::uint64_t burst_limit =
        static_cast<std::uint64_t>(network_->tcp_.initial_window_segments) *
        network_->hosts_[own_host()].segment_bytes;
    while (unsent_bytes() > 0) {
        const std::uint64_t limit =
            std::min<std::uint64_t>(window_bytes_, network_->tcp_.buffer_bytes);
        if (in_flight_bytes_ >= limit)
            break;
        const auto n = static_cast<std::size_t>(
            std::min<std::uint64_t>({limit - in_flight_bytes_, burst_limit, unsent_bytes()}));
        Burst burst{next_seq_++, unsent_.substr(unsent_from_, n), now, 0, {}};
        unsent_from_ += n;
        note_activity();
        in_flight_.push_back({burst.seq, n, ns3::Time::Max()});
        in_flight_bytes_ += n;
        transmit(std::move(burst));
        ensure_liveness_check();
    }
    if (unsent_from_ == unsent_.size()) {
        unsent_.clear();
        unsent_from_ = 0;
    } else if (unsent_from_ > unsent_.size() / 2) {
        unsent_.erase(0, unsent_from_);
        unsent_from_ = 0;
    }
    arm_window_wait();
    if (fin_pending_ && unsent_bytes() == 0 && resend_.empty()) {
        fin_pending_ = false;
        pipe_->fin_after[side_] = next_seq_;
        send_control(kAckBytes, &MessagePipe::fin_arrives);
        release_closing_hold();  // the FIN is out
    }
}

void MessageConnection::transmit(Burst burst) {
    if (!resend_.empty()) {  // held back behind a lost burst, as TCP holds the stream
        resend_.emplace(burst.seq, std::move(burst));
        return;
    }
    send_burst(std::move(burst));
}

MessageConnection::InFlight* MessageConnection::find_in_flight(std::uint64_t seq) {
    const auto it = std::lower_bound(in_flight_.begin(), in_flight_.end(), seq,
                                     [](const InFlight& f, std::uint64_t s) { return f.seq < s; });
    return it != in_flight_.end() && it->seq == seq ? &*it : nullptr;
}

void MessageConnection::send_burst(Burst burst) {
    burst.sent = ns3::Simulator::Now();
    auto crossing = network_->cross_uplink(own_host(), peer_host(), burst.bytes.size(), 0, false);
    if (!crossing) {
        on_lost(std::move(burst));  // this host is down: nothing leaves it until it is back
        return;
    }
    burst.crossing = std::move(*crossing);
    const ns3::Time edge = pipe_->edge_in_order(side_, burst.crossing.edge(burst.sent));
    auto shared = std::make_shared<Burst>(std::move(burst));
    network_->at(peer_host(), edge,
                 [pipe = pipe_, side = side_, shared] { pipe->burst_at_edge(side, shared); });
}

void MessageConnection::acknowledged_at(std::uint64_t seq, ns3::Time when) {
    if (auto* f = find_in_flight(seq))
        f->acked_at = when;
    arm_window_wait();
}

void MessageConnection::arm_window_wait() {
    if (unsent_bytes() > 0 && !window_wait_.IsRunning() && !in_flight_.empty() &&
        in_flight_.front().acked_at != ns3::Time::Max()) {
        window_wait_ = ns3::Simulator::Schedule(
            std::max(in_flight_.front().acked_at - ns3::Simulator::Now(), ns3::Time(0)),
            &MessageConnection::pump, this);
    }
}

void MessageConnection::hold(Burst burst) {
    if (auto* f = find_in_flight(burst.seq))
        f->acked_at = ns3::Time::Max();
    resend_.insert_or_assign(burst.seq, std::move(burst));
}

void MessageConnection::on_lost(Burst burst) {
    if (pipe_->reset[side_])
        return;
    if (auto* f = find_in_flight(burst.seq))
        f->acked_at = ns3::Time::Max();  // no acknowledgement comes back
    // ns-3 doubles its timeout after each retransmission, up to 60 s.
    const ns3::Time due =
        burst.sent + std::min(network_->retransmission_timeout(own_host(), peer_host()) *
                                  static_cast<std::int64_t>(1ULL << retransmit_attempt_),
                              ns3::Seconds(kMaxRtoS));
    const bool first = resend_.empty() || burst.seq <= resend_.begin()->first;
    resend_.insert_or_assign(burst.seq, std::move(burst));
    // The first lost burst drives the retransmissions; those behind it wait for it.
    if (first && !retransmit_timer_.IsRunning()) {
        retransmit_timer_ =
            ns3::Simulator::Schedule(std::max(due - ns3::Simulator::Now(), ns3::Time(0)),
                                     &MessageConnection::retransmit, this);
    }
}

void MessageConnection::retransmit() {
    if (pipe_->reset[side_] || resend_.empty())
        return;
    if (retransmit_attempt_ >= network_->tcp_.data_retries) {
        // ns-3 gives up on the connection after DataRetries retransmissions.
        auto self = shared_from_this();  // the close handler may drop the owner's reference
        drop_stream();
        peer_closed();
        return;
    }
    ++retransmit_attempt_;
    Burst again = resend_.begin()->second;
    again.attempt = static_cast<int>(retransmit_attempt_);
    send_burst(std::move(again));
}

void MessageConnection::on_recovered(std::uint64_t seq) {
    resend_.erase(seq);
    retransmit_attempt_ = 0;
    retransmit_timer_.Cancel();
    if (auto* f = find_in_flight(seq))
        f->acked_at = ns3::Simulator::Now() + network_->base_delay(peer_host(), own_host());
    auto held = std::move(resend_);
    resend_.clear();
    for (auto& [_, burst] : held)
        send_burst(std::move(burst));
    pump();
}

void MessageConnection::drop_stream() {
    pipe_->reset[side_] = true;
    stop_timers();
    unsent_.clear();
    unsent_from_ = 0;
    resend_.clear();
    fin_pending_ = false;
    release_closing_hold();
}

void MessageConnection::release_closing_hold() {
    if (auto self = std::move(closing_self_))
        ns3::Simulator::ScheduleNow([self] {});  // lets go once the caller is done with us
}

void MessageConnection::on_reset() {
    auto self = std::static_pointer_cast<MessageConnection>(shared_from_this());
    const bool was_closed = closed();
    drop_stream();
    if (!was_closed)
        peer_closed();
}

void MessageConnection::close_stream() {
    pipe_->fin[side_] = true;
    if (!connected_) {
        stop_timers();  // no handshake to finish: nothing to close on the other side
        return;
    }
    fin_pending_ = true;
    // Data the window or a lost burst still holds goes out before the FIN, even if the owner
    // drops the connection now (an ns-3 socket outlives its owner's close too).
    if (unsent_bytes() > 0 || !resend_.empty())
        closing_self_ = std::static_pointer_cast<MessageConnection>(shared_from_this());
    pump();
}

void MessageConnection::reset_stream() {
    const bool was_reset = pipe_->reset[side_];
    drop_stream();
    if (connected_ && !was_reset)
        send_control(kResetBytes, &MessagePipe::reset_arrives);
}

bool MessageConnection::awaiting_ack() const {
    if (unsent_bytes() > 0 || !resend_.empty())
        return true;
    const ns3::Time now = ns3::Simulator::Now();
    return std::any_of(in_flight_.begin(), in_flight_.end(),
                       [now](const InFlight& f) { return f.acked_at > now; });
}

ns3::Time MessageConnection::ack_wait_since() const {
    const ns3::Time now = ns3::Simulator::Now();
    ns3::Time progress = last_ack_progress_;
    for (const auto& f : in_flight_) {
        if (f.acked_at > now)
            break;
        progress = std::max(progress, f.acked_at);
    }
    return std::max(ack_wait_since_, progress);
}

// --- MessageTransport ---

ns3::TypeId MessageTransport::GetTypeId() {
    static const ns3::TypeId tid = ns3::TypeId("sessionsim::MessageTransport")
                                       .SetParent<Transport>()
                                       .SetGroupName("Sessionsim")
                                       .AddConstructor<MessageTransport>();
    return tid;
}

std::shared_ptr<Connection> MessageTransport::connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                                      std::uint16_t port, int handshake_round_trips,
                                                      Connection::FrameHandler on_frame,
                                                      Connection::CloseHandler on_close) {
    NS_ABORT_MSG_UNLESS(network_, "MessageTransport: no network (install_message_transport)");
    return network_->connect(network_, node, to, port, handshake_round_trips, std::move(on_frame),
                             std::move(on_close));
}

std::unique_ptr<Listener> MessageTransport::listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                                   Connection::FrameHandler on_frame,
                                                   Connection::CloseHandler on_close,
                                                   AcceptHandler on_accept) {
    NS_ABORT_MSG_UNLESS(network_, "MessageTransport: no network (install_message_transport)");
    return network_->listen(network_, node, port, std::move(on_frame), std::move(on_close),
                            std::move(on_accept));
}

void MessageTransport::DoDispose() {
    network_.reset();
    Transport::DoDispose();
}

std::shared_ptr<MessageNetwork> install_message_transport(const net::Wan& wan) {
    auto network = std::make_shared<MessageNetwork>(wan);
    for (std::uint32_t i = 0; i < wan.nodes.GetN(); ++i)
        wan.nodes.Get(i)->AggregateObject(ns3::CreateObject<MessageTransport>(network));
    return network;
}

}  // namespace sessionsim::apps
