#include "sim/apps/tcp_transport.h"

#include <ns3/inet-socket-address.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>

namespace sessionsim::apps {

namespace {
constexpr std::size_t kHandshakeBytes = 300;  // a TLS ClientHello/ServerHello-sized message

/// A listening TCP socket whose accepted sockets become TcpConnections.
class TcpListener final : public Listener {
public:
    TcpListener(ns3::Ptr<ns3::Node> node, std::uint16_t port, Connection::FrameHandler on_frame,
                Connection::CloseHandler on_close, Transport::AcceptHandler on_accept)
        : socket_(AbortableTcpSocket::CreateOn(node)),
          on_frame_(std::move(on_frame)),
          on_close_(std::move(on_close)),
          on_accept_(std::move(on_accept)) {
        socket_->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
        socket_->Listen();
        socket_->SetAcceptCallback(
            ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
            ns3::MakeCallback(&TcpListener::accepted, this));
    }
    ~TcpListener() override {
        socket_->SetAcceptCallback(
            ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>());
    }
    void close() override { socket_->Close(); }

private:
    void accepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address&) {
        on_accept_(TcpConnection::accept(socket, on_frame_, on_close_));
    }

    ns3::Ptr<AbortableTcpSocket> socket_;
    Connection::FrameHandler on_frame_;
    Connection::CloseHandler on_close_;
    Transport::AcceptHandler on_accept_;
};
}  // namespace

ns3::TypeId Transport::GetTypeId() {
    static const ns3::TypeId tid =
        ns3::TypeId("sessionsim::Transport").SetParent<ns3::Object>().SetGroupName("Sessionsim");
    return tid;
}

ns3::TypeId TcpTransport::GetTypeId() {
    static const ns3::TypeId tid = ns3::TypeId("sessionsim::TcpTransport")
                                       .SetParent<Transport>()
                                       .SetGroupName("Sessionsim")
                                       .AddConstructor<TcpTransport>();
    return tid;
}

std::shared_ptr<Connection> TcpTransport::connect(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                                  std::uint16_t port, int handshake_round_trips,
                                                  Connection::FrameHandler on_frame,
                                                  Connection::CloseHandler on_close) {
    return TcpConnection::open(node, to, port, handshake_round_trips, std::move(on_frame),
                               std::move(on_close));
}

std::unique_ptr<Listener> TcpTransport::listen(ns3::Ptr<ns3::Node> node, std::uint16_t port,
                                               Connection::FrameHandler on_frame,
                                               Connection::CloseHandler on_close,
                                               AcceptHandler on_accept) {
    return std::make_unique<TcpListener>(node, port, std::move(on_frame), std::move(on_close),
                                         std::move(on_accept));
}

Transport& transport_of(ns3::Ptr<ns3::Node> node) {
    if (auto aggregated = node->GetObject<Transport>())
        return *aggregated;
    static const ns3::Ptr<TcpTransport> tcp = ns3::CreateObject<TcpTransport>();
    return *tcp;
}

std::shared_ptr<TcpConnection> TcpConnection::open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                                                   std::uint16_t port, int handshake_round_trips,
                                                   FrameHandler on_frame, CloseHandler on_close) {
    std::shared_ptr<TcpConnection> c(new TcpConnection());
    c->peer_ = to;
    c->on_frame_ = std::move(on_frame);
    c->on_close_ = std::move(on_close);
    c->handshakes_left_ = handshake_round_trips;
    c->last_used_ = ns3::Simulator::Now();
    c->opened_ = c->last_activity_ = ns3::Simulator::Now();
    auto socket = AbortableTcpSocket::CreateOn(node);
    c->attach(socket);
    std::weak_ptr<TcpConnection> weak = c;
    socket->SetConnectCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([weak](ns3::Ptr<ns3::Socket>) {
            if (auto self = weak.lock())
                self->on_connected();
        }),
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([weak](ns3::Ptr<ns3::Socket>) {
            if (auto self = weak.lock())
                self->on_connect_failed();
        }));
    socket->Connect(ns3::InetSocketAddress(to, port));
    return c;
}

std::shared_ptr<TcpConnection> TcpConnection::accept(ns3::Ptr<ns3::Socket> socket,
                                                     FrameHandler on_frame, CloseHandler on_close) {
    std::shared_ptr<TcpConnection> c(new TcpConnection());
    ns3::Address from;
    socket->GetPeerName(from);
    c->peer_ = ns3::InetSocketAddress::ConvertFrom(from).GetIpv4();
    c->on_frame_ = std::move(on_frame);
    c->on_close_ = std::move(on_close);
    c->server_side_ = true;
    c->ready_ = true;
    c->last_used_ = ns3::Simulator::Now();
    c->attach(socket);
    return c;
}

TcpConnection::~TcpConnection() {
    idle_check_.Cancel();
    liveness_check_.Cancel();
    if (socket_) {
        socket_->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
        socket_->SetSendCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, uint32_t>());
        socket_->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                                   ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    }
}

void TcpConnection::attach(ns3::Ptr<ns3::Socket> socket) {
    socket_ = socket;
    abortable_ = ns3::DynamicCast<AbortableTcpSocket>(socket);
    std::weak_ptr<TcpConnection> weak = std::static_pointer_cast<TcpConnection>(shared_from_this());
    socket->SetRecvCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([weak](ns3::Ptr<ns3::Socket>) {
            if (auto self = weak.lock())
                self->on_readable();
        }));
    socket->SetSendCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>, uint32_t>(
        [weak](ns3::Ptr<ns3::Socket>, uint32_t) {
            if (auto self = weak.lock())
                self->on_writable();
        }));
    const auto closed = ns3::Callback<void, ns3::Ptr<ns3::Socket>>([weak](ns3::Ptr<ns3::Socket>) {
        if (auto self = weak.lock())
            self->on_closed();
    });
    socket->SetCloseCallbacks(closed, closed);
}

void TcpConnection::on_connected() {
    last_used_ = ns3::Simulator::Now();
    next_handshake();
}

void TcpConnection::next_handshake() {
    if (handshakes_left_ <= 0) {
        ready_ = true;
        last_activity_ = ns3::Simulator::Now();
        while (!queued_.empty()) {
            unsent_ += std::move(queued_.front());
            queued_.pop_front();
        }
        flush();
        if (liveness_check_.IsRunning())  // the handshake deadline gives way to keep-alive
            arm_liveness_check(ns3::Simulator::Now());
        return;
    }
    --handshakes_left_;
    unsent_ += encode_frame({FrameKind::handshake, 0, std::string(kHandshakeBytes, '\x16')});
    flush();
}

void TcpConnection::send(std::string bytes) {
    if (closed_)
        return;
    last_used_ = ns3::Simulator::Now();
    if (!ready_) {
        queued_.push_back(std::move(bytes));
        return;
    }
    unsent_ += bytes;
    flush();
}

void TcpConnection::flush() {
    while (!unsent_.empty() && !closed_) {
        const std::uint32_t room = socket_->GetTxAvailable();
        if (room == 0)
            return;  // on_writable resumes
        const std::size_t n = std::min<std::size_t>(room, unsent_.size());
        if (!awaiting_ack())
            ack_wait_since_ = ns3::Simulator::Now();  // the first byte the peer owes an ACK for
        last_activity_ = ns3::Simulator::Now();
        const auto sent = socket_->Send(reinterpret_cast<const std::uint8_t*>(unsent_.data()),
                                        static_cast<std::uint32_t>(n), 0);
        if (sent <= 0)
            return;
        bytes_sent_ += static_cast<std::uint64_t>(sent);
        unsent_.erase(0, static_cast<std::size_t>(sent));
        ensure_liveness_check();
    }
}

void TcpConnection::ensure_liveness_check() {
    const bool watching = liveness_.keep_alive.IsStrictlyPositive() ||
                          liveness_.timeout.IsStrictlyPositive() ||
                          liveness_.handshake_timeout.IsStrictlyPositive();
    if (watching && !closed_ && !liveness_check_.IsRunning())
        arm_liveness_check(ns3::Simulator::Now());
}

void TcpConnection::on_writable() {
    // ns-3 reports send-buffer room after each ACK that frees some (and at other times, such
    // as retransmissions): an ACK point that moved on means the peer is alive.
    if (abortable_) {
        const auto acked = abortable_->AcknowledgedUpTo();
        if (acked != acked_up_to_) {
            acked_up_to_ = acked;
            ack_wait_since_ = ns3::Simulator::Now();
        }
    }
    flush();
}

void TcpConnection::on_readable() {
    auto self = shared_from_this();  // a handler may drop the owner's reference
    while (auto packet = socket_->Recv()) {
        const std::uint32_t size = packet->GetSize();
        packet->CopyData(reader_.append(size), size);
        last_used_ = last_activity_ = ns3::Simulator::Now();
        while (auto frame = reader_.next()) {
            if (frame->kind == FrameKind::keep_alive)
                continue;  // a liveness ping: its TCP acknowledgement is the whole answer
            if (frame->kind == FrameKind::handshake) {
                if (server_side_) {
                    unsent_ += encode_frame(*frame);  // the server's half of the round trip
                    flush();
                } else {
                    next_handshake();
                }
                continue;
            }
            if (on_frame_)  // a send-only connection ignores what comes back
                on_frame_(*this, std::move(*frame));
            if (closed_)
                return;
        }
        if (reader_.broken()) {
            close();
            return;
        }
    }
}

void TcpConnection::close_when_idle(ns3::Time keep_alive) {
    keep_alive_ = keep_alive;
    idle_check_.Cancel();
    if (keep_alive_.IsStrictlyPositive() && !closed_)
        idle_check_ = ns3::Simulator::Schedule(last_used_ + keep_alive_ - ns3::Simulator::Now(),
                                               &TcpConnection::check_idle, this);
}

void TcpConnection::check_idle() {
    if (closed_)
        return;
    const ns3::Time due = last_used_ + keep_alive_;
    if (ns3::Simulator::Now() < due) {
        idle_check_ =
            ns3::Simulator::Schedule(due - ns3::Simulator::Now(), &TcpConnection::check_idle, this);
        return;
    }
    auto self = shared_from_this();  // the close handler may drop the owner's reference
    close();
}

bool TcpConnection::mark_closed(CloseCause cause) {
    if (closed_)
        return false;
    closed_ = true;
    cause_ = cause;
    idle_check_.Cancel();
    liveness_check_.Cancel();
    return true;
}

void TcpConnection::close() {
    if (!mark_closed(CloseCause::closed_here))
        return;
    socket_->Close();
    if (abortable_) {
        ns3::Simulator::Schedule(ns3::Seconds(kOrphanTimeoutS),
                                 &AbortableTcpSocket::AbortIfLingering, abortable_);
    }
    if (on_close_)
        on_close_(*this);
}

void TcpConnection::abort() {
    fail(CloseCause::closed_here);
}

void TcpConnection::on_closed() {
    if (abortable_)
        abortable_->FinishPeerClose();  // the peer closed: send our FIN as a program would
    if (!mark_closed(ready_ ? CloseCause::closed_by_peer : CloseCause::handshake_failed))
        return;
    if (on_close_)
        on_close_(*this);
}

void TcpConnection::on_connect_failed() {
    if (abortable_)
        abortable_->FinishPeerClose();
    fail(CloseCause::handshake_failed);
}

void TcpConnection::fail(CloseCause cause) {
    auto self = shared_from_this();  // the close handler may drop the owner's reference
    if (!mark_closed(cause))
        return;
    if (abortable_)
        abortable_->Abort();
    else
        socket_->Close();
    if (on_close_)
        on_close_(*this);
}

bool TcpConnection::awaiting_ack() const {
    return abortable_ && abortable_->Unacknowledged() > 0;
}

void TcpConnection::watch_liveness(const Liveness& liveness) {
    liveness_ = liveness;
    liveness_check_.Cancel();
    ensure_liveness_check();
}

void TcpConnection::arm_liveness_check(ns3::Time now) {
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
        consider(liveness_.timeout, ack_wait_since_);
    if (!next)  // nothing to watch until the next send (flush) or the handshake's end
        return;
    liveness_check_ = ns3::Simulator::Schedule(std::max(*next - now, ns3::Time(0)),
                                               &TcpConnection::check_liveness, this);
}

void TcpConnection::check_liveness() {
    if (closed_)
        return;
    const ns3::Time now = ns3::Simulator::Now();
    if (!ready_ && liveness_.handshake_timeout.IsStrictlyPositive() &&
        now >= opened_ + liveness_.handshake_timeout) {
        fail(CloseCause::handshake_failed);
        return;
    }
    if (awaiting_ack() && liveness_.timeout.IsStrictlyPositive() &&
        now >= ack_wait_since_ + liveness_.timeout) {
        fail(CloseCause::peer_silent);
        return;
    }
    if (ready_ && liveness_.keep_alive.IsStrictlyPositive() &&
        now >= last_activity_ + liveness_.keep_alive) {
        unsent_ += encode_frame({FrameKind::keep_alive, 0, {}});
        flush();
    }
    arm_liveness_check(now);
}

}  // namespace sessionsim::apps
