// A Shadow-style wide-area network for ns-3. Every host has one WanNetDevice: an access link
// with its own up/down bandwidth and a drop-tail queue. Between access links the "core" is a
// delay lookup (DelayTable) by the two hosts' locations, plus optional jitter and loss. No
// routers, no per-host routes, no ARP: the channel finds the receiver by IPv4 address in a
// hash map, so the cost of a packet does not grow with the number of hosts. ns-3's IP, UDP and
// TCP stacks run unchanged on every host (a /32 address and one default route per host).
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include <ns3/channel.h>
#include <ns3/data-rate.h>
#include <ns3/ipv4-address.h>
#include <ns3/net-device.h>
#include <ns3/node.h>
#include <ns3/random-variable-stream.h>
#include <ns3/traced-callback.h>

#include "sim/net/delay_table.h"

namespace sessionsim::net {

class WanNetDevice;

class WanChannel : public ns3::Channel {
public:
    static ns3::TypeId GetTypeId();
    WanChannel();

    void SetDelayTable(std::shared_ptr<const DelayTable> table) { table_ = std::move(table); }
    /// Registers a device with its address and location index (from the delay table).
    void Attach(ns3::Ptr<WanNetDevice> device, ns3::Ipv4Address address, std::uint32_t location);

    std::size_t GetNDevices() const override { return devices_.size(); }
    ns3::Ptr<ns3::NetDevice> GetDevice(std::size_t i) const override;

    /// Called by a device whose access link has put `packet` on the wire at `sent`: delivers it
    /// to the owner of `destination` after the core delay (+ jitter), unless it is lost.
    void Carry(ns3::Ptr<ns3::Packet> packet, ns3::Ptr<WanNetDevice> from,
               ns3::Ipv4Address destination);

    /// Fixes random-variable streams (ns-3 convention); returns the number used.
    int64_t AssignStreams(int64_t stream);

    // For transports that model packets without sending them (message mode): the same core,
    // drawn from the same random streams.
    /// The device of the host at `address`, or null if there is none.
    ns3::Ptr<WanNetDevice> DeviceAt(ns3::Ipv4Address address) const;
    /// Whether the core loses a packet (a draw only when loss is configured).
    bool DrawLoss();
    /// The core's one-way delay from `from` to `to`, plus a jitter draw if jitter is set.
    ns3::Time DrawDelay(const WanNetDevice& from, const WanNetDevice& to);
    /// The core's one-way delay without jitter.
    ns3::Time BaseDelay(const WanNetDevice& from, const WanNetDevice& to) const;

private:
    std::shared_ptr<const DelayTable> table_;
    std::vector<ns3::Ptr<WanNetDevice>> devices_;
    std::unordered_map<std::uint32_t, std::uint32_t> by_address_;  // IPv4 -> device index
    double loss_rate_ = 0;
    ns3::Ptr<ns3::RandomVariableStream> jitter_ms_;
    ns3::Ptr<ns3::UniformRandomVariable> loss_draw_;
    ns3::TracedCallback<ns3::Ptr<const ns3::Packet>> drop_trace_;
};

class WanNetDevice : public ns3::NetDevice {
public:
    static ns3::TypeId GetTypeId();
    WanNetDevice();

    void SetChannel(ns3::Ptr<WanChannel> channel) { channel_ = channel; }
    std::uint32_t GetLocation() const { return location_; }
    void SetLocation(std::uint32_t location) { location_ = location; }
    /// Downlink side: a packet arrived at this host's edge; queue it for the access link.
    void ArriveFromCore(ns3::Ptr<ns3::Packet> packet);
    /// For transports that model packets (message mode): puts `bytes` on the uplink at `at`
    /// (now or later) behind what is queued; returns when they have left, or a negative time
    /// if the drop-tail queue is full.
    ns3::Time EnqueueUp(ns3::Time at, std::uint32_t bytes) {
        return Enqueue(up_free_at_, up_rate_, at, bytes);
    }
    /// The same on the downlink, for bytes reaching this host's edge at `at`.
    ns3::Time EnqueueDown(ns3::Time at, std::uint32_t bytes) {
        return Enqueue(down_free_at_, down_rate_, at, bytes);
    }
    /// Link time for bytes resent after a loss (message mode): taken behind what is queued at
    /// `at` even if the queue is full then, so that a loss costs capacity as the packet level's
    /// retransmission does (which arrives later, when the queue has room again).
    void ChargeUp(ns3::Time at, std::uint32_t bytes) {
        Enqueue(up_free_at_, up_rate_, at, bytes, false);
    }
    void ChargeDown(ns3::Time at, std::uint32_t bytes) {
        Enqueue(down_free_at_, down_rate_, at, bytes, false);
    }
    /// When `bytes` offered to the uplink (downlink) at `at` would be through it, behind what
    /// it holds now, without taking their place or being dropped: a bare ACK at the message
    /// level, which waits behind the data queued ahead of it (its own bytes are not counted
    /// against the link).
    ns3::Time PeekUp(ns3::Time at, std::uint32_t bytes) const {
        return Peek(up_free_at_, up_rate_, at, bytes);
    }
    ns3::Time PeekDown(ns3::Time at, std::uint32_t bytes) const {
        return Peek(down_free_at_, down_rate_, at, bytes);
    }
    /// A host that is down (crashed, powered off) neither sends nor receives: both directions
    /// drop, and packets already on its access link are lost too.
    void SetHostUp(bool up) { host_up_ = up; }
    bool IsHostUp() const { return host_up_; }

    // ns3::NetDevice
    void SetIfIndex(const uint32_t index) override { if_index_ = index; }
    uint32_t GetIfIndex() const override { return if_index_; }
    ns3::Ptr<ns3::Channel> GetChannel() const override;
    void SetAddress(ns3::Address address) override;
    ns3::Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override { return mtu_; }
    bool IsLinkUp() const override { return true; }
    void AddLinkChangeCallback(ns3::Callback<void>) override {}
    bool IsBroadcast() const override { return false; }
    ns3::Address GetBroadcast() const override;
    bool IsMulticast() const override { return false; }
    ns3::Address GetMulticast(ns3::Ipv4Address) const override;
    ns3::Address GetMulticast(ns3::Ipv6Address) const override;
    bool IsBridge() const override { return false; }
    bool IsPointToPoint() const override { return true; }
    bool Send(ns3::Ptr<ns3::Packet> packet, const ns3::Address& dest, uint16_t protocol) override;
    bool SendFrom(ns3::Ptr<ns3::Packet> packet, const ns3::Address& source,
                  const ns3::Address& dest, uint16_t protocol) override;
    ns3::Ptr<ns3::Node> GetNode() const override { return node_; }
    void SetNode(ns3::Ptr<ns3::Node> node) override { node_ = node; }
    bool NeedsArp() const override { return false; }
    void SetReceiveCallback(ReceiveCallback cb) override { rx_callback_ = cb; }
    void SetPromiscReceiveCallback(PromiscReceiveCallback) override {}
    bool SupportsSendFrom() const override { return false; }

protected:
    void DoDispose() override;

private:
    /// When a link with `free_at` and `rate` has sent `bytes` offered at `now`, or -1 if the
    /// queue (in bytes) would overflow and `limited`.
    ns3::Time Enqueue(ns3::Time& free_at, const ns3::DataRate& rate, ns3::Time now,
                      std::uint32_t bytes, bool limited = true) const;
    static ns3::Time Peek(ns3::Time free_at, const ns3::DataRate& rate, ns3::Time at,
                          std::uint32_t bytes) {
        if (rate.GetBitRate() == 0)
            return at;
        return std::max(at, free_at) + rate.CalculateBytesTxTime(bytes);
    }
    void DeliverUp(ns3::Ptr<ns3::Packet> packet);

    ns3::Ptr<WanChannel> channel_;
    ns3::Ptr<ns3::Node> node_;
    uint32_t if_index_ = 0;
    uint16_t mtu_ = 1500;
    ns3::Mac48Address address_;
    std::uint32_t location_ = 0;
    bool host_up_ = true;
    ns3::DataRate up_rate_;
    ns3::DataRate down_rate_;
    std::uint32_t queue_bytes_ = 0;
    ns3::Time up_free_at_;
    ns3::Time down_free_at_;
    ReceiveCallback rx_callback_;
    ns3::TracedCallback<ns3::Ptr<const ns3::Packet>> tx_trace_, rx_trace_, drop_trace_;
};

}  // namespace sessionsim::net
