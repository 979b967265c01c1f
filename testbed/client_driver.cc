#include "testbed/client_driver.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "testbed/http.h"
#include "testbed/tls.h"

namespace sessionsim::testbed {

namespace {
/// Nodes serve HTTPS only, as real storage servers do.
HttpClientOptions with_tls(HttpClientOptions options) {
    if (!options.tls)
        options.tls = unverified_client_context();
    return options;
}
}  // namespace

ClientDriver::ClientDriver(boost::asio::io_context& io, const Registry& registry,
                           identity::Identity identity, std::uint64_t seed,
                           client::ClientConfig config, HttpClientOptions http, bool multiplexed)
    : io_(io),
      poll_timer_(io),
      contacts_(registry.swarm_view()),
      pool_(registry.pool()),
      http_(io, with_tls(http)) {
    if (multiplexed) {
        multiplexed_ = std::make_unique<PeerClient>(
            io, unverified_client_context(),
            PeerClientOptions{.idle_timeout = http.idle_timeout,
                              .local_address = http.local_address,
                              .fast_open = http.fast_open,
                              .keep_alive = http.keep_alive,
                              .liveness_timeout = http.liveness_timeout,
                              .handshake_timeout = http.handshake_timeout});
    }
    random_ = std::make_unique<crypto::SeededRandom>(
        seed, "client " + identity.session_id().to_hex());  // the simulator's ClientApp stream
    pool_.set_swarms(contacts_);                            // the list names each node's swarm
    client_ = std::make_unique<client::Client>(std::move(identity), config, pool_, *random_);
    client_->set_pool_fetched(now_ms());
    // Desynchronised as the simulator's clients are: the first poll falls anywhere in the first
    // interval (drawn where ClientApp draws it), not every client at once.
    first_poll_ms_ =
        now_ms() + static_cast<std::int64_t>(random_->uniform(static_cast<std::uint64_t>(
                       std::max<std::int64_t>(config.poll_interval_ms, 1))));
    schedule_poll();
}

std::int64_t ClientDriver::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint64_t ClientDriver::send_text(const identity::AccountId& to, const std::string& text) {
    auto [id, events] = client_->send_text(to, text, now_ms());
    process(std::move(events));
    return id;
}

void ClientDriver::poll() {
    // The node list as the registry published it (the fetch itself is not made as a request,
    // as in the simulator).
    if (client_->pool_refresh_due(now_ms()))
        client_->refresh_pool(pool_, now_ms());
    process(client_->poll(now_ms()));
}

void ClientDriver::tick() {
    if (now_ms() >= first_poll_ms_)
        poll();
    schedule_poll();
}

void ClientDriver::schedule_poll() {
    const std::int64_t next = client_->next_poll_ms();
    if (next == client::kNoPollScheduled)
        return;  // the poll still out sets the next one when it ends (process, from its reply)
    const std::int64_t due_ms = std::max(first_poll_ms_, next);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    // To the microsecond, so that the wake-up never reads a millisecond clock still short of due.
    const auto wait = std::chrono::milliseconds(due_ms) - now;
    poll_timer_.expires_after(std::max(std::chrono::duration_cast<std::chrono::microseconds>(wait),
                                       std::chrono::microseconds(0)));
    poll_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            tick();
    });
}

void ClientDriver::post(const client::NodeInfo& node, const char* target, std::string body,
                        std::int64_t timeout_ms, RequestSeen seen) {
    ++in_flight_;
    seen.start = std::chrono::steady_clock::now();
    const auto* entry = contacts_->find(node.ed25519);
    auto done = [this, seen](std::optional<HttpReply> reply) mutable {
        --in_flight_;
        seen.end = std::chrono::steady_clock::now();
        seen.status = reply ? reply->status : 0;
        if (on_request)
            on_request(seen);
        std::optional<node::WireReply> wire;
        if (reply)
            wire = node::WireReply{reply->status, std::move(reply->body)};
        else
            ++failed_requests;
        process(client_->on_reply(seen.request_id, wire, now_ms()), seen.end);
    };
    if (!entry) {
        boost::asio::post(io_, [done]() mutable { done(std::nullopt); });
        return;
    }
    // A connection that failed under the request: the client first (its rule may retire the
    // path), then the request ends, so that its retry takes the remaining paths.
    auto lost = [this, node = node.ed25519](bool /*never_opened*/) {
        process(client_->on_connection_lost(node, now_ms()));
    };
    const auto timeout = std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 10'000);
    if (multiplexed_) {
        const auto channel =
            std::string_view(target) == "/onion_req/v2" ? kClientOnionChannel : kClientRpcChannel;
        multiplexed_->request(storage::ipv4_string(entry->ipv4), entry->omq_port, channel,
                              std::move(body), timeout, done, lost);
        return;
    }
    http_.post(storage::ipv4_string(entry->ipv4), entry->https_port, target, std::move(body),
               timeout, done, lost);
}

std::size_t ClientDriver::connections_opened() const {
    return multiplexed_ ? multiplexed_->connections_opened() : http_.connections_opened();
}

void ClientDriver::process(client::ClientEvents events, std::chrono::steady_clock::time_point at) {
    for (auto& event : events) {
        if (auto* onion = std::get_if<client::SendOnion>(&event)) {
            ++onion_requests;
            RequestSeen seen;
            seen.request_id = onion->request_id;
            seen.guard = onion->guard.ed25519;
            seen.destination = onion->destination;
            seen.hops = onion->hops;
            post(onion->guard, "/onion_req/v2", std::string(onion->body.begin(), onion->body.end()),
                 onion->timeout_ms, seen);
        } else if (auto* direct = std::get_if<client::SendDirect>(&event)) {
            RequestSeen seen;
            seen.request_id = direct->request_id;
            seen.guard = seen.destination = direct->node.ed25519;
            post(direct->node, "/storage_rpc/v1", std::move(direct->body), direct->timeout_ms,
                 seen);
        } else if (auto* s = std::get_if<client::MessageStored>(&event)) {
            stored.push_back({*s, at});
        } else if (auto* r = std::get_if<client::MessageReceived>(&event)) {
            received.push_back({*r, at});
        } else if (auto* f = std::get_if<client::MessageFailed>(&event)) {
            failed.push_back({*f, at});
        }
    }
    schedule_poll();  // a reply may have set the next poll (a cycle counted from its end)
}

}  // namespace sessionsim::testbed
