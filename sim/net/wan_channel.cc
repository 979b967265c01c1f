#include "sim/net/wan_channel.h"

#include <ns3/double.h>
#include <ns3/ipv4-header.h>
#include <ns3/log.h>
#include <ns3/pointer.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/uinteger.h>

#include "sim/net/wan_links.h"

namespace sessionsim::net {

NS_LOG_COMPONENT_DEFINE("WanChannel");
NS_OBJECT_ENSURE_REGISTERED(WanChannel);
NS_OBJECT_ENSURE_REGISTERED(WanNetDevice);

using namespace ns3;

TypeId WanChannel::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::WanChannel")
            .SetParent<Channel>()
            .SetGroupName("sessionsim")
            .AddConstructor<WanChannel>()
            .AddAttribute("LossRate", "Probability that the core drops a packet", DoubleValue(0.0),
                          MakeDoubleAccessor(&WanChannel::loss_rate_),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("JitterMs",
                          "Extra one-way delay per packet, in ms (negative draws count as 0)",
                          StringValue("ns3::ConstantRandomVariable[Constant=0]"),
                          MakePointerAccessor(&WanChannel::jitter_ms_),
                          MakePointerChecker<RandomVariableStream>())
            .AddTraceSource("Drop", "A packet lost in the core or sent to an unknown address",
                            MakeTraceSourceAccessor(&WanChannel::drop_trace_),
                            "ns3::Packet::TracedCallback");
    return tid;
}

WanChannel::WanChannel() : loss_draw_(CreateObject<UniformRandomVariable>()) {}

void WanChannel::Attach(Ptr<WanNetDevice> device, Ipv4Address address, std::uint32_t location) {
    device->SetChannel(this);
    device->SetLocation(location);
    by_address_[address.Get()] = static_cast<std::uint32_t>(devices_.size());
    devices_.push_back(device);
}

Ptr<NetDevice> WanChannel::GetDevice(std::size_t i) const {
    return devices_.at(i);
}

int64_t WanChannel::AssignStreams(int64_t stream) {
    loss_draw_->SetStream(stream);
    jitter_ms_->SetStream(stream + 1);
    return 2;
}

Ptr<WanNetDevice> WanChannel::DeviceAt(Ipv4Address address) const {
    const auto it = by_address_.find(address.Get());
    return it == by_address_.end() ? nullptr : devices_[it->second];
}

bool WanChannel::DrawLoss() {
    return loss_rate_ > 0 && loss_draw_->GetValue() < loss_rate_;
}

Time WanChannel::BaseDelay(const WanNetDevice& from, const WanNetDevice& to) const {
    return NanoSeconds(table_->one_way_ns(from.GetLocation(), to.GetLocation()));
}

Time WanChannel::DrawDelay(const WanNetDevice& from, const WanNetDevice& to) {
    std::int64_t delay = table_->one_way_ns(from.GetLocation(), to.GetLocation());
    const double jitter = jitter_ms_->GetValue();
    if (jitter > 0)
        delay += static_cast<std::int64_t>(jitter * 1e6);
    return NanoSeconds(delay);
}

void WanChannel::Carry(Ptr<Packet> packet, Ptr<WanNetDevice> from, Ipv4Address destination) {
    const auto it = by_address_.find(destination.Get());
    if (it == by_address_.end() || DrawLoss()) {
        drop_trace_(packet);
        return;
    }
    const Ptr<WanNetDevice>& to = devices_[it->second];
    Simulator::ScheduleWithContext(to->GetNode()->GetId(), DrawDelay(*from, *to),
                                   &WanNetDevice::ArriveFromCore, to, packet);
}

TypeId WanNetDevice::GetTypeId() {
    static TypeId tid =
        TypeId("sessionsim::WanNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("sessionsim")
            .AddConstructor<WanNetDevice>()
            .AddAttribute("UpRate", "Access link upload rate (0 = no serialization delay)",
                          DataRateValue(DataRate(WanLinkOptions{}.up_rate)),
                          MakeDataRateAccessor(&WanNetDevice::up_rate_), MakeDataRateChecker())
            .AddAttribute("DownRate", "Access link download rate (0 = no serialization delay)",
                          DataRateValue(DataRate(WanLinkOptions{}.down_rate)),
                          MakeDataRateAccessor(&WanNetDevice::down_rate_), MakeDataRateChecker())
            .AddAttribute("QueueBytes", "Drop-tail queue per direction, bytes (0 = unlimited)",
                          UintegerValue(WanLinkOptions{}.queue_bytes),
                          MakeUintegerAccessor(&WanNetDevice::queue_bytes_),
                          MakeUintegerChecker<std::uint32_t>())
            .AddTraceSource("Tx", "A packet left this host",
                            MakeTraceSourceAccessor(&WanNetDevice::tx_trace_),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Rx", "A packet reached this host's IP stack",
                            MakeTraceSourceAccessor(&WanNetDevice::rx_trace_),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Drop", "A packet dropped by a full access queue",
                            MakeTraceSourceAccessor(&WanNetDevice::drop_trace_),
                            "ns3::Packet::TracedCallback");
    return tid;
}

WanNetDevice::WanNetDevice() : address_(Mac48Address::Allocate()) {}

void WanNetDevice::DoDispose() {
    channel_ = nullptr;
    node_ = nullptr;
    rx_callback_ =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    NetDevice::DoDispose();
}

Ptr<Channel> WanNetDevice::GetChannel() const {
    return channel_;
}
void WanNetDevice::SetAddress(Address address) {
    address_ = Mac48Address::ConvertFrom(address);
}
Address WanNetDevice::GetAddress() const {
    return address_;
}
Address WanNetDevice::GetBroadcast() const {
    return Mac48Address::GetBroadcast();
}
Address WanNetDevice::GetMulticast(Ipv4Address) const {
    return Mac48Address::GetMulticast(Ipv4Address());
}
Address WanNetDevice::GetMulticast(Ipv6Address) const {
    return Mac48Address::GetBroadcast();
}

bool WanNetDevice::SetMtu(const uint16_t mtu) {
    mtu_ = mtu;
    return true;
}

Time WanNetDevice::Enqueue(Time& free_at, const DataRate& rate, Time now, std::uint32_t bytes,
                           bool limited) const {
    if (rate.GetBitRate() == 0)
        return now;
    const Time start = std::max(now, free_at);
    const auto backlog =
        static_cast<std::uint64_t>((start - now).GetSeconds() * rate.GetBitRate() / 8);
    if (limited && queue_bytes_ > 0 && backlog + bytes > queue_bytes_)
        return Time(-1);
    free_at = start + rate.CalculateBytesTxTime(bytes);
    return free_at;
}

bool WanNetDevice::Send(Ptr<Packet> packet, const Address&, uint16_t protocol) {
    Ipv4Header ip;
    if (!host_up_ || protocol != 0x0800 || packet->PeekHeader(ip) == 0) {
        drop_trace_(packet);
        return false;
    }
    const Time sent = Enqueue(up_free_at_, up_rate_, Simulator::Now(), packet->GetSize());
    if (sent.IsNegative()) {
        drop_trace_(packet);
        return false;
    }
    tx_trace_(packet);
    Simulator::Schedule(sent - Simulator::Now(), &WanChannel::Carry, channel_, packet,
                        Ptr<WanNetDevice>(this), ip.GetDestination());
    return true;
}

bool WanNetDevice::SendFrom(Ptr<Packet> packet, const Address&, const Address& dest,
                            uint16_t protocol) {
    return Send(packet, dest, protocol);
}

void WanNetDevice::ArriveFromCore(Ptr<Packet> packet) {
    if (!host_up_) {
        drop_trace_(packet);
        return;
    }
    const Time done = Enqueue(down_free_at_, down_rate_, Simulator::Now(), packet->GetSize());
    if (done.IsNegative()) {
        drop_trace_(packet);
        return;
    }
    Simulator::Schedule(done - Simulator::Now(), &WanNetDevice::DeliverUp, this, packet);
}

void WanNetDevice::DeliverUp(Ptr<Packet> packet) {
    if (!host_up_) {
        drop_trace_(packet);
        return;
    }
    rx_trace_(packet);
    if (!rx_callback_.IsNull())
        rx_callback_(this, packet, 0x0800, address_);
}

}  // namespace sessionsim::net
