// A storage node's message database (storage server storage/database.cpp), in memory: messages
// keyed by (owner, namespace) in insertion order, named by their hash, with expiry. Duplicate
// stores only extend expiry; public outboxes keep one message; expired messages are swept.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/common/bytes.h"
#include "models/identity/account_id.h"
#include "models/storage/namespaces.h"
#include "models/storage/store_journal.h"
#include "models/storage/subaccount.h"

namespace sessionsim::storage {

struct StoredMessage {
    identity::AccountId owner;
    Namespace ns = 0;
    std::string hash;
    std::int64_t timestamp_ms = 0;
    std::int64_t expiry_ms = 0;
    Bytes data;
};

enum class StoreResult {
    created,   ///< a new message
    extended,  ///< already stored; its expiry moved later
    exists,    ///< already stored with a later or equal expiry
    obsolete,  ///< public outbox already holds a message at least as new
};

struct StoreOutcome {
    StoreResult result;
    std::int64_t expiry_ms;  ///< the stored expiry after the operation
};

struct RetrievePage {
    std::vector<const StoredMessage*> messages;
    bool more = false;
};

enum class ExpiryMode { set, extend_only, shorten_only };

struct ExpiryUpdate {
    std::vector<std::string> updated;               ///< sorted
    std::map<std::string, std::int64_t> unchanged;  ///< found but not moved (extend/shorten)
};

class MessageStore {
public:
    StoreOutcome store(StoredMessage message);

    /// Messages after `last_hash` (from the start if empty or unknown) in insertion order, at
    /// most `max_count`, stopping once the size sum (100 + hash + 4/3 data per message) would
    /// exceed `max_size` — but always at least one.
    RetrievePage retrieve(const identity::AccountId& owner, Namespace ns,
                          const std::string& last_hash, std::size_t max_count,
                          std::int64_t max_size) const;

    /// Deletes the owner's messages with these hashes (any namespace); returns them sorted.
    std::vector<std::string> delete_hashes(const identity::AccountId& owner,
                                           const std::vector<std::string>& hashes);

    /// Deletes all of the owner's messages in `ns` (nullopt: every namespace). Returns
    /// (namespace, hash) pairs sorted by hash.
    std::vector<std::pair<Namespace, std::string>> delete_all(const identity::AccountId& owner,
                                                              std::optional<Namespace> ns);

    ExpiryUpdate update_expiry(const identity::AccountId& owner,
                               const std::vector<std::string>& hashes, std::int64_t expiry_ms,
                               ExpiryMode mode);

    /// Removes every message with expiry <= now; returns how many.
    std::size_t clean_expired(std::int64_t now_ms);

    const StoredMessage* find(const std::string& hash) const;
    /// Every stored message in insertion order (for pushing to new swarm members).
    std::vector<const StoredMessage*> all() const;

    std::size_t size() const { return rows_.size(); }

    /// Called with every newly created message (not duplicates or expiry extensions): what
    /// swarm monitoring (push notifications) watches.
    void set_on_created(std::function<void(const StoredMessage&)> callback) {
        on_created_ = std::move(callback);
    }

    /// Every later change is also reported to `journal` (null: none). Not owned.
    void set_journal(StoreJournal* journal) { journal_ = journal; }

    /// Subaccount tokens the owner revoked (revoke_subaccount); the newest 50 are kept.
    void revoke_subaccount(const identity::AccountId& owner, const SubaccountToken& token);
    bool subaccount_revoked(const identity::AccountId& owner, const SubaccountToken& token) const;
    std::size_t data_bytes() const { return data_bytes_; }

private:
    using Row = std::uint64_t;
    using OwnerKey = std::pair<identity::AccountId, Namespace>;

    void erase_row(Row row);
    void set_expiry(Row row, std::int64_t expiry_ms);

    Row next_row_ = 1;
    std::map<Row, StoredMessage> rows_;
    std::unordered_map<std::string, Row> by_hash_;
    std::map<OwnerKey, std::set<Row>> by_owner_;
    std::set<std::pair<std::int64_t, Row>> by_expiry_;
    std::size_t data_bytes_ = 0;
    std::map<identity::AccountId, RevocationList> revocations_;
    std::function<void(const StoredMessage&)> on_created_;
    StoreJournal* journal_ = nullptr;
};

}  // namespace sessionsim::storage
