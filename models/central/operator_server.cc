#include "models/central/operator_server.h"

#include <algorithm>
#include <cstdlib>

#include "models/common/errors.h"

namespace sessionsim::central {

OperatorServer::OperatorServer(std::size_t datacentre, HomeOf home_of, OperatorConfig config)
    : datacentre_(datacentre), home_of_(std::move(home_of)), config_(config) {}

OperatorActions OperatorServer::on_client(ConnectionId connection, std::uint32_t from_ip,
                                          std::string_view bytes, std::int64_t now_ms) {
    Message message;
    try {
        message = decode(bytes);
    } catch (const InvalidInput&) {
        return {CloseClient{connection}};  // garbage: a real server drops the connection
    }
    if (auto* m = std::get_if<Login>(&message))
        return login(connection, *m, now_ms);
    if (auto* m = std::get_if<Ping>(&message))
        return {reply(connection, Pong{m->nonce})};
    const auto session = sessions_.find(connection);
    if (session == sessions_.end())
        return {reply(connection, LoginAck{401}), CloseClient{connection}};
    if (auto* m = std::get_if<Send>(&message))
        return send(connection, from_ip, std::move(*m), now_ms);
    if (auto* m = std::get_if<DeliverAck>(&message)) {
        auto& box = mailboxes_[session->second];
        std::erase_if(box, [&](const Mail& mail) { return mail.delivery == m->delivery; });
        return {};
    }
    return {CloseClient{connection}};  // a server-to-client message from a client
}

OperatorActions OperatorServer::login(ConnectionId connection, const Login& m,
                                      std::int64_t now_ms) {
    const bool key_matches = m.account == "05" + to_hex(crypto::ed25519_pk_to_x25519(m.ed25519));
    if (!key_matches ||
        !crypto::ed25519_verify(m.ed25519, m.signature, login_message(m.account, m.timestamp_ms)))
        return {reply(connection, LoginAck{401}), CloseClient{connection}};
    if (std::llabs(m.timestamp_ms - now_ms) > config_.max_clock_skew_ms)
        return {reply(connection, LoginAck{406}), CloseClient{connection}};
    if (home_of_(m.account) != datacentre_)
        return {reply(connection, LoginAck{421}), CloseClient{connection}};
    // A second login of the account replaces the first (the app reconnected).
    if (const auto old = online_.find(m.account); old != online_.end())
        sessions_.erase(old->second);
    sessions_[connection] = m.account;
    online_[m.account] = connection;
    OperatorActions out{reply(connection, LoginAck{200})};
    for (auto& mail : mailboxes_[m.account]) {
        mail.delivery = next_delivery_++;
        out.push_back(
            reply(connection, Deliver{mail.delivery, mail.sender, mail.id, mail.ciphertext}));
    }
    return out;
}

OperatorActions OperatorServer::send(ConnectionId connection, std::uint32_t from_ip, Send m,
                                     std::int64_t now_ms) {
    if (m.ciphertext.size() > config_.max_message_bytes)
        return {reply(connection, SendAck{m.id, 413})};
    const std::string& sender = sessions_.at(connection);
    if (observer_)
        observer_({now_ms, datacentre_, from_ip, sender, m.recipient, m.id, m.ciphertext.size()});
    const std::size_t home = home_of_(m.recipient);
    if (home == datacentre_) {
        auto out = accept(sender, m.recipient, m.id, std::move(m.ciphertext), now_ms);
        out.push_back(reply(connection, SendAck{m.id, 200}));
        return out;
    }
    relayed_[{sender, m.id}] = connection;
    return {ToDatacentre{
        home, encode(Relay{datacentre_, sender, m.recipient, m.id, std::move(m.ciphertext)})}};
}

OperatorActions OperatorServer::on_datacentre(std::string_view bytes, std::int64_t now_ms) {
    Message message;
    try {
        message = decode(bytes);
    } catch (const InvalidInput&) {
        return {};  // the operator's own backbone: nothing to answer a corrupt frame with
    }
    if (auto* m = std::get_if<Relay>(&message)) {
        auto out = accept(m->sender, m->recipient, m->id, std::move(m->ciphertext), now_ms);
        out.push_back(ToDatacentre{m->from_dc, encode(RelayAck{m->sender, m->id, 200})});
        return out;
    }
    if (auto* m = std::get_if<RelayAck>(&message)) {
        const auto it = relayed_.find({m->sender, m->id});
        if (it == relayed_.end())
            return {};
        const ConnectionId connection = it->second;
        relayed_.erase(it);
        if (!sessions_.contains(connection))
            return {};  // the sender left; it will retry and be told "stored" then
        return {reply(connection, SendAck{m->id, m->status})};
    }
    return {};
}

OperatorActions OperatorServer::accept(const std::string& sender, const std::string& recipient,
                                       std::uint64_t id, Bytes ciphertext, std::int64_t now_ms) {
    if (!accepted_.emplace(std::pair{sender, id}, now_ms).second)
        return {};  // a retry of a message already here
    auto& mail = mailboxes_[recipient].emplace_back(
        Mail{sender, id, std::move(ciphertext), now_ms, next_delivery_++});
    const auto online = online_.find(recipient);
    if (online == online_.end())
        return {};
    return {reply(online->second, Deliver{mail.delivery, sender, id, mail.ciphertext})};
}

void OperatorServer::on_disconnect(ConnectionId connection) {
    const auto it = sessions_.find(connection);
    if (it == sessions_.end())
        return;
    if (const auto o = online_.find(it->second); o != online_.end() && o->second == connection)
        online_.erase(o);
    sessions_.erase(it);
}

void OperatorServer::on_outage() {
    sessions_.clear();
    online_.clear();
    relayed_.clear();
}

std::size_t OperatorServer::expire(std::int64_t now_ms) {
    std::size_t dropped = 0;
    for (auto& [account, box] : mailboxes_) {
        dropped += std::erase_if(
            box, [&](const Mail& m) { return now_ms - m.stored_ms >= config_.retention_ms; });
    }
    std::erase_if(accepted_,
                  [&](const auto& entry) { return now_ms - entry.second >= config_.retention_ms; });
    return dropped;
}

bool OperatorServer::holds(const std::string& recipient, const std::string& sender,
                           std::uint64_t id) const {
    const auto it = mailboxes_.find(recipient);
    return it != mailboxes_.end() &&
           std::any_of(it->second.begin(), it->second.end(),
                       [&](const Mail& m) { return m.sender == sender && m.id == id; });
}

std::size_t OperatorServer::stored() const {
    std::size_t n = 0;
    for (const auto& [account, box] : mailboxes_)
        n += box.size();
    return n;
}

}  // namespace sessionsim::central
