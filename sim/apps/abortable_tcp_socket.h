// ns-3's TCP socket with the two ways a real kernel lets go of a connection that ns-3 3.37 lacks.
//
// Abort(): the connection's state vanishes at once (a reset), as when the host crashes; a
// graceful Close() from a crashing host would instead leave FINs to retransmit.
//
// AbortIfLingering(): ns-3 retransmits an unanswered FIN every RTO with neither back-off nor a
// retry limit, so each connection closed towards a host that has died costs an event per second
// for the rest of the run (a 1,050-node run with node exits: 12.28 M events before, 2.10 M
// after). Linux gives up on such orphaned connections after tcp_orphan_retries (about 100 s) or
// tcp_fin_timeout (60 s); Connection calls this after its own orphan timeout.
//
// FinishPeerClose(): when the peer closes, ns-3 leaves the socket in CLOSE_WAIT until the
// application calls Close(), as a kernel does until the program's read() returns 0 and it
// closes; Connection does so at once, so a closed connection frees both ends' endpoints after
// the FIN exchange instead of lingering until the closer's orphan timeout.
//
// PersistTimeout(): ns-3 3.37 sends its zero-window probe as the byte at the next sequence
// number without checking there is one; when the peer's window closes with nothing left unsent,
// it dereferences a null buffer item (a segfault 73 simulated minutes into a 10,000-client
// soak). A kernel probes only with data waiting; so does this, and with none it does nothing
// (the next send finds the window closed and starts the persist timer again).
//
// Slow-start restart (TcpSettings' SlowStartRestart, network.tcp_slow_start_restart): Linux
// (tcp_slow_start_after_idle, RFC 2861) starts a write on a connection that has nothing in
// flight and has sent no data for longer than its retransmission timeout from at most the
// initial window again, halving a larger window once for each further timeout of idleness;
// ns-3 3.37 keeps the window it grew. A kept connection whose replies outgrow the initial
// window (a poll returning 12 segments) then takes a round trip more per hop, as on Linux.
//
// CreateOn also gives the socket the segment size of the node's TcpSettings (build_wan
// aggregates them; a node without keeps ns-3's 536 bytes), and sets Linux's TIME_WAIT
// (TCP_TIMEWAIT_LEN, 60 s) instead of ns-3's 240 s (2 x an RFC 793 MSL of 120 s): a socket in
// TIME_WAIT keeps its endpoint, and every endpoint on a node costs a step in ns-3's linear
// demultiplexing of each packet the node receives.
#pragma once

#include <ns3/node.h>
#include <ns3/tcp-socket-base.h>
#include <ns3/tcp-tx-buffer.h>

namespace sessionsim::apps {

class AbortableTcpSocket : public ns3::TcpSocketBase {
public:
    static ns3::TypeId GetTypeId();
    AbortableTcpSocket() = default;
    AbortableTcpSocket(const AbortableTcpSocket&) = default;

    /// A socket on `node`, set up as TcpL4Protocol::CreateSocket would (the node's RTT
    /// estimator, congestion control and recovery types).
    static ns3::Ptr<AbortableTcpSocket> CreateOn(ns3::Ptr<ns3::Node> node);

    /// Resets the connection and releases its endpoint and timers now.
    void Abort();
    /// Aborts if a close is still waiting for the peer (FIN_WAIT_1/2, CLOSING, LAST_ACK).
    void AbortIfLingering();
    /// Closes our half if the peer has closed its own (CLOSE_WAIT); nothing otherwise.
    void FinishPeerClose();
    /// Bytes handed to the socket that the peer has not acknowledged yet (sent or not).
    std::uint32_t Unacknowledged() const { return m_txBuffer->Size(); }
    /// The first byte not yet acknowledged: it moves on with every new ACK.
    ns3::SequenceNumber32 AcknowledgedUpTo() const { return m_txBuffer->HeadSequence(); }

    /// Linux's TIME_WAIT is 60 s: a maximum segment lifetime of 30 s.
    static constexpr double kMaxSegmentLifetimeS = 30;

    /// Restarts slow start after an idle retransmission timeout, as Linux does (off: ns-3's own
    /// behaviour). CreateOn sets it from the node's TcpSettings; accepted sockets inherit it.
    void SetSlowStartRestart(bool on) { slow_start_restart_ = on; }
    /// Linux's retransmission timeout from this socket's RTT estimate: the smoothed RTT plus
    /// four mean deviations, the deviation term at least tcp_rto_min (200 ms).
    ns3::Time LinuxRto() const;

    int Send(ns3::Ptr<ns3::Packet> packet, std::uint32_t flags) override;

protected:
    /// Accepted connections are copies of the listening socket: keep them abortable.
    ns3::Ptr<ns3::TcpSocketBase> Fork() override;
    void PersistTimeout() override;
    std::uint32_t SendDataPacket(ns3::SequenceNumber32 seq, std::uint32_t max_size,
                                 bool with_ack) override;

private:
    /// Linux's tcp_cwnd_restart after `idle` (net::window_after_idle), if idle exceeds the RTO.
    void RestartSlowStart(ns3::Time idle);

    bool slow_start_restart_ = false;
    ns3::Time last_data_sent_ = ns3::Time::Min();  ///< Min: no data sent yet
};

}  // namespace sessionsim::apps
