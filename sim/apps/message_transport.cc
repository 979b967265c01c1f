#include "sim/apps/message_transport.h"

#include <algorithm>
#include <optional>

#include <ns3/abort.h>
#include <ns3/tcp-socket-base.h>
#include <ns3/tcp-socket.h>

#include "sim/apps/message_pipe.h"
#include "sim/net/ns3_defaults.h"
#include "sim/net/tcp_settings.h"

namespace sessionsim::apps {

ModelledTcp ModelledTcp::from_ns3() {
    const auto socket = ns3::TcpSocket::GetTypeId();
    const auto base = ns3::TcpSocketBase::GetTypeId();
    return {.initial_window_segments = net::ns3_default_uinteger(socket, "InitialCwnd"),
            .buffer_bytes = std::min(net::ns3_default_uinteger(socket, "SndBufSize"),
                                     net::ns3_default_uinteger(socket, "RcvBufSize")),
            .min_rto = net::ns3_default_time(base, "MinRto"),
            .syn_timeout = net::ns3_default_time(socket, "ConnTimeout"),
            .syn_attempts = net::ns3_default_uinteger(socket, "ConnCount"),
            .data_retries = net::ns3_default_uinteger(socket, "DataRetries"),
            .clock_granularity = net::ns3_default_time(base, "ClockGranularity"),
            .delayed_ack_timeout = net::ns3_default_time(socket, "DelAckTimeout"),
            .delayed_ack_segments = net::ns3_default_uinteger(socket, "DelAckCount"),
            .cubic = net::CubicParameters::from_ns3()};
}

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
                          settings ? settings->segment_bytes() : kNs3SegmentBytes,
                          settings && settings->slow_start_restart()});
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

ns3::Time MessageNetwork::base_delay(std::uint32_t from, std::uint32_t to) const {
    return channel_->BaseDelay(*hosts_[from].device, *hosts_[to].device);
}

ns3::Time MessageNetwork::ack_arrival(std::uint32_t from, std::uint32_t to, ns3::Time at) const {
    const ns3::Time left = hosts_[from].device->PeekUp(at, kSegmentHeaderBytes);
    return hosts_[to].device->PeekDown(left + base_delay(from, to), kSegmentHeaderBytes);
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
        crossing.segments.push_back({left + core, wire, i, ns3::Time()});
    }
    return crossing;
}

ns3::Time Crossing::edge(ns3::Time now) const {
    return segments.empty() ? now + core : segments.front().arrival;
}

ns3::Time MessageNetwork::cross_downlink(std::uint32_t to, Crossing& crossing) {
    auto& receiver = *hosts_[to].device;
    ns3::Time through = ns3::Simulator::Now();
    for (auto& segment : crossing.segments) {
        const ns3::Time done = receiver.EnqueueDown(segment.arrival, segment.wire);
        if (done.IsNegative()) {
            if (!crossing.first_lost || segment.index < *crossing.first_lost)
                crossing.first_lost = segment.index;  // a full downlink queue
            continue;
        }
        segment.through = done;
        through = std::max(through, done);
    }
    return through;
}

ns3::Time MessageNetwork::loss_penalty(std::uint32_t from, std::uint32_t to,
                                       const Crossing& crossing, bool more_follows) const {
    if (!crossing.first_lost)
        return ns3::Time(0);
    // A fast retransmit costs a round trip; otherwise the retransmission timer has to fire.
    return fast_retransmit(crossing, more_follows) ? base_delay(from, to) + base_delay(to, from)
                                                   : retransmission_timeout(from, to);
}

bool MessageNetwork::fast_retransmit(const Crossing& crossing, bool more_follows) {
    // Three later segments bring three duplicate ACKs.
    return *crossing.first_lost + 3 < crossing.count || more_follows;
}

void MessageNetwork::resend_lost_segments(std::uint32_t from, std::uint32_t to,
                                          const Crossing& crossing, std::uint64_t bytes) {
    std::vector<bool> crossed(crossing.count, false);
    for (const auto& segment : crossing.segments)
        crossed[segment.index] = segment.through.IsStrictlyPositive();
    const ns3::Time now = ns3::Simulator::Now();
    const std::uint64_t segment = hosts_[from].segment_bytes;
    for (std::uint64_t i = 0; i < crossing.count; ++i) {
        if (crossed[i])
            continue;
        const auto wire = kSegmentHeaderBytes +
                          static_cast<std::uint32_t>(std::min(segment, bytes - i * segment));
        hosts_[from].device->ChargeUp(now, wire);
        hosts_[to].device->ChargeDown(now, wire);
    }
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
    c->window_.emplace(new_window(c->pipe_->host[0]));
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
