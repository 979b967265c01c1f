#include "sim/apps/tcp_transport.h"

#include <memory>

#include <ns3/inet-socket-address.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>

namespace sessionsim::apps {

namespace {

/// A listening TCP socket whose accepted sockets become TcpConnections.
class TcpListener final : public Listener {
public:
    TcpListener(ns3::Ptr<ns3::Node> node, std::uint16_t port, Connection::FrameHandler on_frame,
                Connection::CloseHandler on_close, Transport::AcceptHandler on_accept)
        : socket_(AbortableTcpSocket::CreateOn(node)),
          handlers_(std::make_shared<Handlers>(
              Handlers{std::move(on_frame), std::move(on_close), std::move(on_accept)})) {
        socket_->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
        socket_->Listen();
        // ns-3 forks a socket for each SYN, copying this callback, and calls it when the
        // handshake completes, which can be after this listener is gone (its host crashed
        // between the SYN and the last ACK). The fork holds the handlers weakly for that.
        socket_->SetAcceptCallback(
            ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
            ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
                [weak = std::weak_ptr<Handlers>(handlers_)](ns3::Ptr<ns3::Socket> socket,
                                                            const ns3::Address&) {
                    accepted(weak.lock(), std::move(socket));
                }));
    }
    ~TcpListener() override {
        socket_->SetAcceptCallback(
            ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>());
    }
    void close() override { socket_->Close(); }

private:
    struct Handlers {
        Connection::FrameHandler on_frame;
        Connection::CloseHandler on_close;
        Transport::AcceptHandler on_accept;
    };

    /// A handshake completed. With the listener gone nothing is listening on that host any
    /// more: the connection is reset, as the crashed host's own connections were.
    static void accepted(const std::shared_ptr<Handlers>& handlers, ns3::Ptr<ns3::Socket> socket) {
        if (!handlers) {
            ns3::DynamicCast<AbortableTcpSocket>(socket)->Abort();
            return;
        }
        handlers->on_accept(TcpConnection::accept(socket, handlers->on_frame, handlers->on_close));
    }

    ns3::Ptr<AbortableTcpSocket> socket_;
    std::shared_ptr<Handlers> handlers_;
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
    std::shared_ptr<TcpConnection> c(
        new TcpConnection(to, std::move(on_frame), std::move(on_close), handshake_round_trips));
    auto socket = AbortableTcpSocket::CreateOn(node);
    c->attach(socket);
    std::weak_ptr<TcpConnection> weak = c;
    socket->SetConnectCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([weak](ns3::Ptr<ns3::Socket>) {
            if (auto self = weak.lock())
                self->transport_connected();
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
    ns3::Address from;
    socket->GetPeerName(from);
    std::shared_ptr<TcpConnection> c(
        new TcpConnection(ns3::InetSocketAddress::ConvertFrom(from).GetIpv4(), std::move(on_frame),
                          std::move(on_close)));
    c->attach(socket);
    return c;
}

TcpConnection::~TcpConnection() {
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

void TcpConnection::write(std::string bytes) {
    unsent_ += bytes;
    flush();
}

void TcpConnection::flush() {
    while (!unsent_.empty() && !closed()) {
        const std::uint32_t room = socket_->GetTxAvailable();
        if (room == 0)
            return;  // on_writable resumes
        const std::size_t n = std::min<std::size_t>(room, unsent_.size());
        if (!awaiting_ack())
            ack_wait_since_ = ns3::Simulator::Now();  // the first byte the peer owes an ACK for
        note_activity();
        const auto sent = socket_->Send(reinterpret_cast<const std::uint8_t*>(unsent_.data()),
                                        static_cast<std::uint32_t>(n), 0);
        if (sent <= 0)
            return;
        count_sent(static_cast<std::uint64_t>(sent));
        unsent_.erase(0, static_cast<std::size_t>(sent));
        ensure_liveness_check();
    }
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
        packet->CopyData(receive_buffer(size), size);
        if (!take_received())
            return;
    }
}

void TcpConnection::close_stream() {
    socket_->Close();
    if (abortable_) {
        ns3::Simulator::Schedule(ns3::Seconds(kOrphanTimeoutS),
                                 &AbortableTcpSocket::AbortIfLingering, abortable_);
    }
}

void TcpConnection::reset_stream() {
    if (abortable_)
        abortable_->Abort();
    else
        socket_->Close();
}

void TcpConnection::on_closed() {
    if (abortable_)
        abortable_->FinishPeerClose();  // the peer closed: send our FIN as a program would
    peer_closed();
}

void TcpConnection::on_connect_failed() {
    if (abortable_)
        abortable_->FinishPeerClose();
    fail(CloseCause::handshake_failed);
}

bool TcpConnection::awaiting_ack() const {
    return abortable_ && abortable_->Unacknowledged() > 0;
}

}  // namespace sessionsim::apps
