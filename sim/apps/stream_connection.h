// What every transport's connection does the same way above its byte stream: framing, the
// modelled TLS/QUIC handshake round trips, frames queued until the connection is ready, idle
// expiry and QUIC-style liveness watching. A transport supplies the stream itself -- how bytes
// go out, how the stream closes or resets, and what the peer has acknowledged -- and calls back
// when its own handshake completes, bytes arrive, or the peer closes. ns-3's TCP sockets
// (tcp_transport.h) and the modelled connections of message mode (message_transport.h) are the
// two streams.
#pragma once

#include <cstdint>
#include <string>

#include <ns3/event-id.h>
#include <ns3/nstime.h>
#include <ns3/simulator.h>

#include "sim/apps/connection.h"

namespace sessionsim::apps {

/// Bytes of each modelled handshake message: a TLS ClientHello/ServerHello-sized frame.
inline constexpr std::size_t kHandshakeBytes = 300;

class StreamConnection : public Connection {
public:
    void send(std::string bytes) override;
    /// A graceful close: the transport closes its stream (a FIN) and the owner is told at once.
    void close() override;
    /// Drops the connection at once (a reset): the host crashed.
    void abort() override;
    /// One timer per connection, re-armed lazily: traffic costs nothing, only the expiry check
    /// does.
    void close_when_idle(ns3::Time keep_alive) override;
    /// Keep-alive frames go out on an idle stream; unacknowledged bytes are judged by the
    /// transport's acknowledgement state (awaiting_ack, ack_wait_since).
    void watch_liveness(const Liveness& liveness) override;

    bool ready() const override { return ready_; }
    bool closed() const override { return closed_; }
    CloseCause close_cause() const override { return cause_; }
    ns3::Time last_used() const override { return last_used_; }
    ns3::Ipv4Address peer() const override { return peer_; }
    std::uint64_t bytes_sent() const override { return bytes_sent_; }

    ~StreamConnection() override;

protected:
    /// The dialling side: `handshake_round_trips` modelled exchanges follow the transport's
    /// own handshake.
    StreamConnection(ns3::Ipv4Address peer, FrameHandler on_frame, CloseHandler on_close,
                     int handshake_round_trips);
    /// The accepting side: ready at once, it echoes the dialler's handshake messages.
    StreamConnection(ns3::Ipv4Address peer, FrameHandler on_frame, CloseHandler on_close);

    // --- the stream, supplied by the transport ---
    /// Hands bytes to the stream (in order, after everything written before).
    virtual void write(std::string bytes) = 0;
    /// Closes the stream gracefully (the connection is already marked closed).
    virtual void close_stream() = 0;
    /// Resets the stream at once (the connection is already marked closed).
    virtual void reset_stream() = 0;
    /// Whether bytes written are still unacknowledged by the peer.
    virtual bool awaiting_ack() const = 0;
    /// Since when the oldest unacknowledged bytes have waited without the peer acknowledging
    /// anything (meaningful while awaiting_ack()).
    virtual ns3::Time ack_wait_since() const = 0;

    // --- what the transport reports ---
    /// The transport's own handshake is done: the modelled round trips start.
    void transport_connected();
    /// Room for `size` received bytes, filled in place, then handled by take_received().
    std::uint8_t* receive_buffer(std::size_t size) { return reader_.append(size); }
    /// Handles the bytes put in the receive buffer: handshake echoes, keep-alives and frames
    /// for the owner. False once the connection has closed (the owner closed it from a frame
    /// handler, or the stream was garbage): the transport stops reading.
    bool take_received();
    /// The peer closed or reset the stream (before it was ready: the handshake failed).
    void peer_closed();
    /// Drops the connection for `cause` detected here (a reset, no FIN exchange).
    void fail(CloseCause cause);
    /// Bytes the stream accepted, for bytes_sent().
    void count_sent(std::uint64_t bytes) { bytes_sent_ += bytes; }
    /// Something was just sent: the keep-alive clock restarts.
    void note_activity() { last_activity_ = ns3::Simulator::Now(); }
    /// Arms the liveness check if one is watched and none is pending (after a write).
    void ensure_liveness_check();

    bool server_side() const { return server_side_; }

private:
    void next_handshake();
    void check_idle();
    /// Records the close and stops the timers; false if it was closed already.
    bool mark_closed(CloseCause cause);
    void check_liveness();
    /// Schedules check_liveness at the earliest deadline that applies at `now`, if any.
    void arm_liveness_check(ns3::Time now);

    ns3::Ipv4Address peer_;
    FrameHandler on_frame_;
    CloseHandler on_close_;
    FrameReader reader_;
    /// Frames waiting for the handshake, end to end as they will be written (a string, not a
    /// deque: an empty std::deque allocates ~600 bytes, and every connection has this).
    std::string queued_;
    int handshakes_left_ = 0;
    bool server_side_ = false;
    bool ready_ = false;
    bool closed_ = false;
    CloseCause cause_ = CloseCause::open;
    ns3::Time last_used_;
    ns3::Time keep_alive_;  ///< zero: no idle expiry
    ns3::EventId idle_check_;
    Liveness liveness_;
    ns3::Time opened_;
    ns3::Time last_activity_;  ///< last byte sent or received, keep-alive pings included
    ns3::EventId liveness_check_;
    std::uint64_t bytes_sent_ = 0;
};

}  // namespace sessionsim::apps
