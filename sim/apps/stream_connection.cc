#include "sim/apps/stream_connection.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <ns3/simulator.h>

namespace sessionsim::apps {

StreamConnection::StreamConnection(ns3::Ipv4Address peer, FrameHandler on_frame,
                                   CloseHandler on_close, int handshake_round_trips)
    : peer_(peer),
      on_frame_(std::move(on_frame)),
      on_close_(std::move(on_close)),
      handshakes_left_(handshake_round_trips),
      last_used_(ns3::Simulator::Now()),
      opened_(ns3::Simulator::Now()),
      last_activity_(ns3::Simulator::Now()) {}

StreamConnection::StreamConnection(ns3::Ipv4Address peer, FrameHandler on_frame,
                                   CloseHandler on_close)
    : peer_(peer),
      on_frame_(std::move(on_frame)),
      on_close_(std::move(on_close)),
      server_side_(true),
      ready_(true),
      last_used_(ns3::Simulator::Now()) {}

StreamConnection::~StreamConnection() {
    idle_check_.Cancel();
    liveness_check_.Cancel();
}

void StreamConnection::transport_connected() {
    last_used_ = ns3::Simulator::Now();
    next_handshake();
}

void StreamConnection::next_handshake() {
    if (handshakes_left_ <= 0) {
        ready_ = true;
        last_activity_ = ns3::Simulator::Now();
        write(std::exchange(queued_, {}));
        if (liveness_check_.IsRunning())  // the handshake deadline gives way to keep-alive
            arm_liveness_check(ns3::Simulator::Now());
        return;
    }
    --handshakes_left_;
    write(encode_frame({FrameKind::handshake, 0, std::string(kHandshakeBytes, '\x16')}));
}

void StreamConnection::send(std::string bytes) {
    if (closed_)
        return;
    last_used_ = ns3::Simulator::Now();
    if (!ready_) {
        queued_ += bytes;
        return;
    }
    write(std::move(bytes));
}

bool StreamConnection::take_received() {
    last_used_ = last_activity_ = ns3::Simulator::Now();
    while (auto frame = reader_.next()) {
        if (frame->kind == FrameKind::keep_alive)
            continue;  // a liveness ping: the stream's acknowledgement is the whole answer
        if (frame->kind == FrameKind::handshake) {
            if (server_side_)
                write(encode_frame(*frame));  // the server's half of the round trip
            else
                next_handshake();
            continue;
        }
        if (on_frame_)  // a send-only connection ignores what comes back
            on_frame_(*this, std::move(*frame));
        if (closed_)
            return false;
    }
    if (reader_.broken()) {
        close();
        return false;
    }
    return true;
}

void StreamConnection::close_when_idle(ns3::Time keep_alive) {
    keep_alive_ = keep_alive;
    idle_check_.Cancel();
    if (keep_alive_.IsStrictlyPositive() && !closed_)
        idle_check_ = ns3::Simulator::Schedule(last_used_ + keep_alive_ - ns3::Simulator::Now(),
                                               &StreamConnection::check_idle, this);
}

void StreamConnection::check_idle() {
    if (closed_)
        return;
    const ns3::Time due = last_used_ + keep_alive_;
    if (ns3::Simulator::Now() < due) {
        idle_check_ = ns3::Simulator::Schedule(due - ns3::Simulator::Now(),
                                               &StreamConnection::check_idle, this);
        return;
    }
    auto self = shared_from_this();  // the close handler may drop the owner's reference
    close();
}

bool StreamConnection::mark_closed(CloseCause cause) {
    if (closed_)
        return false;
    closed_ = true;
    cause_ = cause;
    idle_check_.Cancel();
    liveness_check_.Cancel();
    return true;
}

void StreamConnection::close() {
    if (!mark_closed(CloseCause::closed_here))
        return;
    close_stream();
    if (on_close_)
        on_close_(*this);
}

void StreamConnection::abort() {
    fail(CloseCause::closed_here);
}

void StreamConnection::peer_closed() {
    if (!mark_closed(ready_ ? CloseCause::closed_by_peer : CloseCause::handshake_failed))
        return;
    if (on_close_)
        on_close_(*this);
}

void StreamConnection::fail(CloseCause cause) {
    auto self = shared_from_this();  // the close handler may drop the owner's reference
    if (!mark_closed(cause))
        return;
    reset_stream();
    if (on_close_)
        on_close_(*this);
}

void StreamConnection::watch_liveness(const Liveness& liveness) {
    liveness_ = liveness;
    liveness_check_.Cancel();
    ensure_liveness_check();
}

void StreamConnection::ensure_liveness_check() {
    const bool watching = liveness_.keep_alive.IsStrictlyPositive() ||
                          liveness_.timeout.IsStrictlyPositive() ||
                          liveness_.handshake_timeout.IsStrictlyPositive();
    if (watching && !closed_ && !liveness_check_.IsRunning())
        arm_liveness_check(ns3::Simulator::Now());
}

void StreamConnection::arm_liveness_check(ns3::Time now) {
    liveness_check_.Cancel();
    // The earliest of the deadlines that apply; a check that finds one moved on re-arms.
    std::optional<ns3::Time> next;
    const auto consider = [&](ns3::Time limit, ns3::Time since) {
        if (limit.IsStrictlyPositive() && (!next || since + limit < *next))
            next = since + limit;
    };
    if (!ready_)
        consider(liveness_.handshake_timeout, opened_);
    if (ready_)
        consider(liveness_.keep_alive, last_activity_);
    if (awaiting_ack())
        consider(liveness_.timeout, ack_wait_since());
    if (!next)  // nothing to watch until the next send or the handshake's end
        return;
    liveness_check_ = ns3::Simulator::Schedule(std::max(*next - now, ns3::Time(0)),
                                               &StreamConnection::check_liveness, this);
}

void StreamConnection::check_liveness() {
    if (closed_)
        return;
    const ns3::Time now = ns3::Simulator::Now();
    if (!ready_ && liveness_.handshake_timeout.IsStrictlyPositive() &&
        now >= opened_ + liveness_.handshake_timeout) {
        fail(CloseCause::handshake_failed);
        return;
    }
    if (awaiting_ack() && liveness_.timeout.IsStrictlyPositive() &&
        now >= ack_wait_since() + liveness_.timeout) {
        fail(CloseCause::peer_silent);
        return;
    }
    if (ready_ && liveness_.keep_alive.IsStrictlyPositive() &&
        now >= last_activity_ + liveness_.keep_alive) {
        // The ping is activity even if the window holds it back (the next one is due a
        // keep-alive from now, not at once again).
        note_activity();
        write(encode_frame({FrameKind::keep_alive, 0, {}}));
    }
    arm_liveness_check(now);
}

}  // namespace sessionsim::apps
