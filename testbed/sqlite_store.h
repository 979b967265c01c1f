// The testbed node's durable message store: an SQLite file (WAL mode) that mirrors the node's
// in-memory MessageStore. Attached as the store's journal, it writes every change through
// before the node answers, so whatever a node acknowledged survives a restart or a kill -9;
// at start-up, load() rebuilds the in-memory store from the file in insertion order.
//
// Schema (one file per node):
//   messages(id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT UNIQUE, owner TEXT, namespace
//            INTEGER, timestamp_ms INTEGER, expiry_ms INTEGER, data BLOB)
//   revoked_subaccounts(id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT, token BLOB)
#pragma once

#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "models/common/errors.h"
#include "models/storage/message_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sessionsim::testbed {

/// An SQLite failure, with the file and SQLite's own message.
class StoreFileError : public InvalidInput {
public:
    using InvalidInput::InvalidInput;
};

class SqliteStore final : public storage::StoreJournal {
public:
    /// Opens (creating if needed) the database at `path`. Throws StoreFileError.
    explicit SqliteStore(const std::string& path);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    /// Fills `store` (which must be empty) from the file and attaches this journal to it.
    /// Returns the number of messages loaded.
    std::size_t load(storage::MessageStore& store);

    void inserted(const storage::StoredMessage& message) override;
    void erased(const std::string& hash) override;
    void expiry_changed(const std::string& hash, std::int64_t expiry_ms) override;
    void subaccount_revoked(const identity::AccountId& owner,
                            const storage::SubaccountToken& token) override;

private:
    struct Statement;
    void exec(const char* sql);
    [[noreturn]] void fail(const std::string& what) const;

    std::string path_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Statement> insert_, erase_, expiry_, revoke_;
};

/// The hashes of the messages in the database at `path`, read without writing (a running node
/// may hold it open: WAL readers do not block its writes). Throws StoreFileError.
std::set<std::string> stored_hashes(const std::string& path);

}  // namespace sessionsim::testbed
