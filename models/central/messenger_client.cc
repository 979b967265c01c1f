#include "models/central/messenger_client.h"

#include "models/common/errors.h"
#include "models/crypto/hash.h"
#include "models/message/one_to_one.h"

namespace sessionsim::central {

MessengerClient::MessengerClient(identity::Identity identity, crypto::RandomSource& random)
    : identity_(std::move(identity)), random_(random) {}

ToOperator MessengerClient::transmit(Outgoing& o, std::int64_t now_ms) {
    o.sent_on_connection_ms = now_ms;
    ++o.attempts;
    return {encode(o.send)};
}

MessengerEvents MessengerClient::on_connected(std::int64_t now_ms) {
    connected_ = true;
    const std::string account = identity_.session_id().to_hex();
    MessengerEvents out{ToOperator{encode(Login{
        account, identity_.ed25519().public_key, now_ms,
        crypto::ed25519_sign(identity_.ed25519().secret_key, login_message(account, now_ms))})}};
    for (auto& [id, o] : outbox_)
        out.push_back(transmit(o, now_ms));
    return out;
}

std::pair<std::uint64_t, MessengerEvents> MessengerClient::send_text(
    const identity::AccountId& recipient, const std::string& text, std::int64_t now_ms) {
    const std::uint64_t id = next_id_++;
    auto& o = outbox_[id];
    o.send = {id, recipient.to_hex(),
              message::compose_text_message(identity_, recipient.key, text,
                                            static_cast<std::uint64_t>(now_ms), random_)};
    o.first_sent_ms = now_ms;
    if (!connected_)
        return {id, {}};  // held on the device until the next connection
    return {id, {transmit(o, now_ms)}};
}

MessengerEvents MessengerClient::ping(std::uint64_t nonce) const {
    if (!connected_)
        return {};
    return {ToOperator{encode(Ping{nonce})}};
}

std::optional<std::int64_t> MessengerClient::oldest_unacked_ms() const {
    if (!connected_)
        return std::nullopt;
    std::optional<std::int64_t> oldest;
    for (const auto& [id, o] : outbox_) {
        if (!oldest || o.sent_on_connection_ms < *oldest)
            oldest = o.sent_on_connection_ms;
    }
    return oldest;
}

MessengerEvents MessengerClient::on_bytes(std::string_view bytes, std::int64_t now_ms) {
    auto message = decode(bytes);
    if (const auto* ack = std::get_if<LoginAck>(&message)) {
        if (ack->status == 200)
            return {};
        return {LoginRefused{ack->status}};
    }
    if (const auto* ack = std::get_if<SendAck>(&message)) {
        const auto it = outbox_.find(ack->id);
        if (it == outbox_.end() || ack->status != 200)
            return {};  // a duplicate ack, or refused: it stays in the outbox for a retry
        client::MessageStored stored;
        stored.message_id = ack->id;
        stored.hash = to_hex(crypto::blake2b_256({it->second.send.ciphertext}));
        stored.attempts = it->second.attempts;
        stored.at_ms = now_ms;
        outbox_.erase(it);
        return {stored};
    }
    if (auto* deliver = std::get_if<Deliver>(&message)) {
        MessengerEvents out{ToOperator{encode(DeliverAck{deliver->delivery})}};
        if (!received_.emplace(deliver->sender, deliver->id).second)
            return out;
        client::MessageReceived received;
        received.message = message::open_text_message(identity_, deliver->ciphertext);
        received.hash = to_hex(crypto::blake2b_256({deliver->ciphertext}));
        received.at_ms = now_ms;
        out.push_back(std::move(received));
        return out;
    }
    if (const auto* pong = std::get_if<Pong>(&message)) {
        last_pong_ = pong->nonce;
        return {};
    }
    throw InvalidInput("the operator sent a message meant for it");
}

}  // namespace sessionsim::central
