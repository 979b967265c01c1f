// One data centre of the centralized operator, sans-I/O: bytes from client connections and from
// the other data centres in, bytes out with where they go. Each account's mailbox lives at its
// home data centre (the one its client connects to); a message sent through another data centre
// is relayed there over the operator's backbone, and the sender hears "stored" only once the home
// data centre has it. Mailboxes keep undelivered messages up to the retention (WhatsApp: 30
// days) and drop each one when the recipient acknowledges it. Every message the data centre
// routes is reported to the observer with what the operator learns: the sender's account and
// address, the recipient, the time and the size.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "models/central/operator_protocol.h"

namespace sessionsim::central {

using ConnectionId = std::uint64_t;

struct OperatorConfig {
    std::int64_t retention_ms = 30LL * 24 * 3600 * 1000;  ///< undelivered messages kept this long
    std::int64_t max_clock_skew_ms = 5 * 60 * 1000;       ///< login timestamps within this
    std::size_t max_message_bytes = 256 * 1024;
};

/// What the operator sees of one message, at the data centre the sender reached.
struct OperatorRecord {
    std::int64_t at_ms = 0;
    std::size_t datacentre = 0;
    std::uint32_t sender_ip = 0;  ///< IPv4, host order
    std::string sender, recipient;
    std::uint64_t id = 0;
    std::size_t bytes = 0;
};

struct ToClient {
    ConnectionId connection = 0;
    std::string bytes;
};
struct ToDatacentre {
    std::size_t datacentre = 0;
    std::string bytes;
};
struct CloseClient {
    ConnectionId connection = 0;
};
using OperatorAction = std::variant<ToClient, ToDatacentre, CloseClient>;
using OperatorActions = std::vector<OperatorAction>;

class OperatorServer {
public:
    using HomeOf = std::function<std::size_t(const std::string& account)>;
    using Observer = std::function<void(const OperatorRecord&)>;

    OperatorServer(std::size_t datacentre, HomeOf home_of, OperatorConfig config = {});

    void set_observer(Observer observer) { observer_ = std::move(observer); }

    /// Bytes from a client connection (one message). Malformed input closes the connection.
    OperatorActions on_client(ConnectionId connection, std::uint32_t from_ip,
                              std::string_view bytes, std::int64_t now_ms);
    /// Bytes from another data centre.
    OperatorActions on_datacentre(std::string_view bytes, std::int64_t now_ms);
    /// The client connection is gone: its pushes wait in the mailbox for the next login.
    void on_disconnect(ConnectionId connection);
    /// The data centre goes dark (an outage): every connection is gone and relays in flight are
    /// forgotten (their senders retry); mailboxes are on disk and survive.
    void on_outage();
    /// Drops messages past the retention; returns how many.
    std::size_t expire(std::int64_t now_ms);

    /// True while the mailbox of `recipient` holds (sender, id).
    bool holds(const std::string& recipient, const std::string& sender, std::uint64_t id) const;
    std::size_t stored() const;
    std::size_t online() const { return online_.size(); }

private:
    struct Mail {
        std::string sender;
        std::uint64_t id = 0;
        Bytes ciphertext;
        std::int64_t stored_ms = 0;
        std::uint64_t delivery = 0;
    };
    OperatorActions login(ConnectionId connection, const Login& login, std::int64_t now_ms);
    OperatorActions send(ConnectionId connection, std::uint32_t from_ip, Send send,
                         std::int64_t now_ms);
    /// Stores (once per (sender, id)) and pushes to the recipient if it is online here.
    OperatorActions accept(const std::string& sender, const std::string& recipient,
                           std::uint64_t id, Bytes ciphertext, std::int64_t now_ms);
    static ToClient reply(ConnectionId connection, const Message& m) {
        return {connection, encode(m)};
    }

    std::size_t datacentre_;
    HomeOf home_of_;
    OperatorConfig config_;
    Observer observer_;
    std::map<std::string, std::deque<Mail>> mailboxes_;  ///< by recipient account
    std::map<std::pair<std::string, std::uint64_t>, std::int64_t> accepted_;  ///< for dedup
    std::map<ConnectionId, std::string> sessions_;  ///< logged-in account per connection
    std::map<std::string, ConnectionId> online_;
    /// Sends relayed to another data centre, waiting for its ack: (sender, id) -> connection.
    std::map<std::pair<std::string, std::uint64_t>, ConnectionId> relayed_;
    std::uint64_t next_delivery_ = 1;
};

}  // namespace sessionsim::central
