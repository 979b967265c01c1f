#include "sim/apps/abortable_tcp_socket.h"

#include <algorithm>

#include <ns3/double.h>
#include <ns3/object-factory.h>
#include <ns3/rtt-estimator.h>
#include <ns3/simulator.h>
#include <ns3/tcp-congestion-ops.h>
#include <ns3/tcp-l4-protocol.h>
#include <ns3/tcp-recovery-ops.h>
#include <ns3/tcp-tx-buffer.h>
#include <ns3/type-id.h>
#include <ns3/uinteger.h>

#include "sim/net/slow_start_restart.h"
#include "sim/net/tcp_settings.h"

namespace sessionsim::apps {

NS_OBJECT_ENSURE_REGISTERED(AbortableTcpSocket);

ns3::TypeId AbortableTcpSocket::GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("sessionsim::AbortableTcpSocket")
                                 .SetParent<ns3::TcpSocketBase>()
                                 .SetGroupName("sessionsim")
                                 .AddConstructor<AbortableTcpSocket>();
    return tid;
}

ns3::Ptr<AbortableTcpSocket> AbortableTcpSocket::CreateOn(ns3::Ptr<ns3::Node> node) {
    const auto tcp = node->GetObject<ns3::TcpL4Protocol>();
    NS_ABORT_MSG_IF(!tcp, "AbortableTcpSocket: the node has no TCP stack");
    const auto make = [&](const char* attribute) {
        ns3::TypeIdValue type;
        tcp->GetAttribute(attribute, type);
        ns3::ObjectFactory factory;
        factory.SetTypeId(type.Get());
        return factory;
    };
    auto socket = ns3::CreateObject<AbortableTcpSocket>();
    socket->SetNode(node);
    socket->SetTcp(tcp);
    socket->SetRtt(make("RttEstimatorType").Create<ns3::RttEstimator>());
    socket->SetCongestionControlAlgorithm(make("SocketType").Create<ns3::TcpCongestionOps>());
    socket->SetRecoveryAlgorithm(make("RecoveryType").Create<ns3::TcpRecoveryOps>());
    socket->SetAttribute("MaxSegLifetime", ns3::DoubleValue(kMaxSegmentLifetimeS));
    if (const auto settings = node->GetObject<net::TcpSettings>()) {
        socket->SetAttribute("SegmentSize", ns3::UintegerValue(settings->segment_bytes()));
        socket->SetSlowStartRestart(settings->slow_start_restart());
    }
    tcp->AddSocket(socket);
    return socket;
}

void AbortableTcpSocket::Abort() {
    if (m_state == CLOSED)
        return;
    SendRST();  // also tells the owner (error close) and frees the endpoint and timers
    m_state = CLOSED;
}

void AbortableTcpSocket::AbortIfLingering() {
    if (m_state == FIN_WAIT_1 || m_state == FIN_WAIT_2 || m_state == CLOSING || m_state == LAST_ACK)
        Abort();
}

void AbortableTcpSocket::FinishPeerClose() {
    if (m_state == CLOSE_WAIT)
        Close();
}

void AbortableTcpSocket::PersistTimeout() {
    if (m_txBuffer->SizeFromSequence(m_tcb->m_nextTxSequence) == 0)
        return;  // nothing to probe with: ns-3 would dereference a null item
    TcpSocketBase::PersistTimeout();
}

ns3::Time AbortableTcpSocket::LinuxRto() const {
    return net::linux_rto(m_rtt->GetEstimate(), m_rtt->GetVariation());
}

int AbortableTcpSocket::Send(ns3::Ptr<ns3::Packet> packet, std::uint32_t flags) {
    // Linux checks when a write queues new data (tcp_slow_start_after_idle_check): nothing in
    // flight, and no data sent for longer than the retransmission timeout.
    if (slow_start_restart_ && last_data_sent_ != ns3::Time::Min() &&
        m_tcb->m_bytesInFlight.Get() == 0)
        RestartSlowStart(ns3::Simulator::Now() - last_data_sent_);
    return TcpSocketBase::Send(packet, flags);
}

void AbortableTcpSocket::RestartSlowStart(ns3::Time idle) {
    const ns3::Time rto = LinuxRto();
    if (idle <= rto)
        return;
    const std::uint32_t window = m_tcb->m_cWnd.Get();
    // The threshold keeps what the window had reached (tcp_current_ssthresh): slow start climbs
    // back to three quarters of it before congestion avoidance.
    m_tcb->m_ssThresh = std::max(m_tcb->m_ssThresh.Get(), window / 2 + window / 4);
    const auto restarted = static_cast<std::uint32_t>(net::window_after_idle(
        window, std::uint64_t{m_tcb->m_initialCWnd} * m_tcb->m_segmentSize, idle, rto));
    m_tcb->m_cWnd = restarted;
    m_tcb->m_cWndInfl = restarted;
}

std::uint32_t AbortableTcpSocket::SendDataPacket(ns3::SequenceNumber32 seq, std::uint32_t max_size,
                                                 bool with_ack) {
    const std::uint32_t sent = TcpSocketBase::SendDataPacket(seq, max_size, with_ack);
    if (sent > 0)
        last_data_sent_ = ns3::Simulator::Now();
    return sent;
}

ns3::Ptr<ns3::TcpSocketBase> AbortableTcpSocket::Fork() {
    return ns3::CopyObject<AbortableTcpSocket>(this);
}

}  // namespace sessionsim::apps
