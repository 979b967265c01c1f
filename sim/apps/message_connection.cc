// The ends of a modelled connection (message_transport.h): dialling, the window and the bursts
// in flight, retransmission, and the end of the stream.
#include "sim/apps/message_transport.h"

#include <algorithm>
#include <utility>

#include "sim/apps/message_pipe.h"
#include "sim/net/slow_start_restart.h"

namespace sessionsim::apps {

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
    last_syn_sent_ = ns3::Simulator::Now();
    syn_resent_ = attempt > 0;
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
    ns3::Simulator::Remove(syn_timer_);  // nearly every SYN is answered: no event left behind
    if (!syn_resent_)  // the SYN-ACK is ns-3's first RTT sample (Karn: not after a resent SYN)
        ack_arrives(ns3::Simulator::Now(), last_syn_sent_, 0);
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
    if (network_->hosts_[own_host()].slow_start_restart)
        restart_slow_start_if_idle();
    if (!awaiting_ack())
        ack_wait_since_ = ns3::Simulator::Now();  // the first byte the peer owes an ACK for
    count_sent(bytes.size());
    if (unsent_.empty())
        unsent_ = std::move(bytes);  // the frame's own buffer: no copy
    else
        unsent_ += bytes;
    pump();
}

void MessageConnection::restart_slow_start_if_idle() {
    release_acknowledged();
    if (!in_flight_.empty() || unsent_bytes() > 0 || last_data_sent_ == ns3::Time::Min())
        return;
    const ns3::Time idle = ns3::Simulator::Now() - last_data_sent_;
    const ns3::Time rto = net::linux_rto(smoothed_rtt_, rtt_deviation_);
    if (idle <= rto)
        return;
    window_->restart_after_idle(
        net::window_after_idle(window_->window_bytes(),
                               static_cast<std::uint64_t>(network_->tcp_.initial_window_segments) *
                                   network_->hosts_[own_host()].segment_bytes,
                               idle, rto));
}

std::size_t MessageConnection::unsent_bytes() const {
    return unsent_.size() - unsent_from_;
}

void MessageConnection::release_acknowledged() {
    take_arrivals();  // the window as the ACKs that have come made it
    const ns3::Time now = ns3::Simulator::Now();
    auto first_unacked = in_flight_.begin();
    for (; first_unacked != in_flight_.end() && first_unacked->acked_at <= now; ++first_unacked)
        last_ack_progress_ = std::max(last_ack_progress_, first_unacked->acked_at);
    in_flight_.erase(in_flight_.begin(), first_unacked);
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
            std::min<std::uint64_t>(window_->window_bytes(), network_->tcp_.buffer_bytes);
        // In flight: what no ACK has covered yet, as TCP counts it (an ACK frees its bytes).
        const std::uint64_t outstanding = sent_through_ - acked_through_;
        if (outstanding >= limit)
            break;
        const auto n = static_cast<std::size_t>(
            std::min<std::uint64_t>({limit - outstanding, burst_limit, unsent_bytes()}));
        Burst burst;
        burst.seq = next_seq_++;
        if (unsent_from_ == 0 && n == unsent_.size()) {
            burst.bytes = std::exchange(unsent_, {});  // all of it goes: moved, not copied
        } else {
            burst.bytes = unsent_.substr(unsent_from_, n);
            unsent_from_ += n;
        }
        burst.sent = now;
        sent_through_ += n;
        note_activity();
        in_flight_.push_back({burst.seq, ns3::Time::Max()});
        transmit(std::move(burst));
        ensure_liveness_check();
    }
    if (unsent_from_ == unsent_.size()) {
        // Given back, not cleared: a cleared string keeps its largest capacity for the life of
        // the connection (a 1 MB upload's buffer would stay after the upload). A write into an
        // empty buffer takes the frame's own string, so this costs no allocation.
        unsent_ = std::string();
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

void MessageConnection::add_arrival(Arrival arrival) {
    // Kept in time order (ties in the order they came): they nearly always come in order, so
    // this is an append, and taking them needs no sort.
    const auto later =
        std::upper_bound(arrivals_.begin(), arrivals_.end(), arrival.at,
                         [](ns3::Time at, const Arrival& other) { return at < other.at; });
    arrivals_.insert(later, arrival);
}

void MessageConnection::ack_arrives(ns3::Time at, ns3::Time echo, std::uint64_t acked_through) {
    add_arrival({at, Arrival::Kind::ack, echo, acked_through});
    arm_window_wait();
}

void MessageConnection::loss_detected(ns3::Time at, bool by_timeout) {
    add_arrival({at, by_timeout ? Arrival::Kind::timeout : Arrival::Kind::fast_retransmit});
}

void MessageConnection::take_arrivals() {
    const ns3::Time now = ns3::Simulator::Now();
    // A delayed acknowledgement whose timer ran out has arrived if it left one way ago.
    pipe_->expire_delayed_ack(side_, now - network_->base_delay(peer_host(), own_host()));
    if (arrivals_.empty())
        return;
    auto taken = arrivals_.begin();
    for (; taken != arrivals_.end() && taken->at <= now; ++taken) {
        if (taken->kind != Arrival::Kind::ack) {
            if (acked_through_ >= recovery_point_) {  // a new loss, not one of the last
                recovery_point_ = sent_through_;
                if (taken->kind == Arrival::Kind::fast_retransmit)
                    window_->on_fast_retransmit(taken->at);
                else
                    window_->on_timeout(taken->at, sent_through_, false);
            }
            continue;
        }
        if (taken->echo != ns3::Time::Min()) {
            // ns-3's timestamps count whole milliseconds; a sample of zero is not taken.
            const auto sample =
                ns3::MilliSeconds(taken->at.GetMilliSeconds() - taken->echo.GetMilliSeconds());
            if (sample.IsStrictlyPositive())
                note_rtt_sample(sample);
        }
        if (taken->acked_through > acked_through_) {
            window_->on_ack(taken->at, taken->acked_through - acked_through_, smoothed_rtt_,
                            taken->acked_through, sent_through_);
            acked_through_ = taken->acked_through;
        }
    }
    arrivals_.erase(arrivals_.begin(), taken);
}

ns3::Time MessageConnection::retransmission_timeout() const {
    return rto_.IsZero() ? network_->retransmission_timeout(own_host(), peer_host()) : rto_;
}

void MessageConnection::note_rtt_sample(ns3::Time sample) {
    // RFC 6298 (and Linux, and ns-3's RttMeanDeviation): the first sample sets the estimate and
    // half of it as the deviation; later ones move them by 1/8 and 1/4.
    if (smoothed_rtt_.IsZero()) {
        smoothed_rtt_ = sample;
        rtt_deviation_ = sample / 2;
    } else {
        const ns3::Time error = sample - smoothed_rtt_;
        rtt_deviation_ += (ns3::Abs(error) - rtt_deviation_) / 4;
        smoothed_rtt_ += error / 8;
    }
    // RFC 6298's 2.4 as ns-3 applies it on every sample.
    rto_ = std::max(smoothed_rtt_ + std::max(network_->tcp_.clock_granularity, rtt_deviation_ * 4),
                    network_->tcp_.min_rto);
}

void MessageConnection::send_burst(Burst burst) {
    burst.sent = ns3::Simulator::Now();
    last_data_sent_ = burst.sent;
    if (burst.rto.IsZero()) {  // first sent (a burst held behind a lost one: sent only now)
        take_arrivals();
        burst.rto = retransmission_timeout();  // the timer ns-3 arms when the data leaves
    }
    auto crossing = network_->cross_uplink(own_host(), peer_host(), burst.bytes.size(), 0, false);
    if (!crossing) {
        on_lost(std::move(burst));  // this host is down: nothing leaves it until it is back
        return;
    }
    pipe_->acknowledge_with_data(side_);
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
    if (unsent_bytes() == 0 || pipe_->reset[side_])
        return;
    // The next ACK known to be on its way frees bytes and may grow the window.
    const ns3::Time now = ns3::Simulator::Now();
    ns3::Time next = ns3::Time::Max();
    for (const auto& arrival : arrivals_) {  // in time order: the first ACK is the next
        if (arrival.kind == Arrival::Kind::ack) {
            next = std::max(arrival.at, now);  // (one that came already: now)
            break;
        }
    }
    // Or the ACK the peer's delayed-ACK timer will send (taken lazily, when asked for).
    const auto& peer = pipe_->acknowledging[side_];
    if (next == ns3::Time::Max() && peer.timer)
        next = std::max(now, peer.since + network_->tcp_.delayed_ack_timeout +
                                 network_->base_delay(peer_host(), own_host()));
    if (next == ns3::Time::Max())
        return;
    if (window_wait_.IsRunning() && window_wait_at_ <= next)
        return;
    window_wait_.Cancel();
    window_wait_at_ = next;
    window_wait_ = ns3::Simulator::Schedule(next - now, &MessageConnection::pump, this);
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
        burst.sent + std::min(burst.rto * static_cast<std::int64_t>(1ULL << retransmit_attempt_),
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
    // ns-3's retransmission timeout: the window restarts from one segment (the threshold
    // falls at the first timeout of a loss only).
    take_arrivals();
    window_->on_timeout(ns3::Simulator::Now(), sent_through_, retransmit_attempt_ > 0);
    recovery_point_ = sent_through_;
    ++retransmit_attempt_;
    Burst again = resend_.begin()->second;
    again.attempt = static_cast<int>(retransmit_attempt_);
    again.resent = true;
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
    for (auto& [_, burst] : held) {
        burst.resent = true;
        send_burst(std::move(burst));
    }
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

}  // namespace sessionsim::apps
