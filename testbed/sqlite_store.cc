#include "testbed/sqlite_store.h"

#include <sqlite3.h>

namespace sessionsim::testbed {

/// One prepared statement, reset after each use.
struct SqliteStore::Statement {
    sqlite3_stmt* stmt = nullptr;
    ~Statement() { sqlite3_finalize(stmt); }
};

SqliteStore::SqliteStore(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreFileError(path + ": cannot open the message database: " + why);
    }
    // WAL with synchronous=NORMAL: a committed write survives the process being killed (only
    // a power loss could take the last transactions), and writers do not block readers.
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec(
        "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT "
        "NOT NULL UNIQUE, owner TEXT NOT NULL, namespace INTEGER NOT NULL, timestamp_ms INTEGER "
        "NOT NULL, expiry_ms INTEGER NOT NULL, data BLOB NOT NULL)");
    exec(
        "CREATE TABLE IF NOT EXISTS revoked_subaccounts (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "owner TEXT NOT NULL, token BLOB NOT NULL)");
    const auto prepare = [&](const char* sql) {
        auto s = std::make_unique<Statement>();
        if (sqlite3_prepare_v2(db_, sql, -1, &s->stmt, nullptr) != SQLITE_OK)
            fail(std::string("cannot prepare '") + sql + "'");
        return s;
    };
    insert_ = prepare(
        "INSERT OR REPLACE INTO messages (hash, owner, namespace, timestamp_ms, expiry_ms, data) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    erase_ = prepare("DELETE FROM messages WHERE hash = ?");
    expiry_ = prepare("UPDATE messages SET expiry_ms = ? WHERE hash = ?");
    revoke_ = prepare("INSERT INTO revoked_subaccounts (owner, token) VALUES (?, ?)");
}

SqliteStore::~SqliteStore() {
    insert_.reset();
    erase_.reset();
    expiry_.reset();
    revoke_.reset();
    sqlite3_close(db_);
}

void SqliteStore::exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error ? error : "unknown error";
        sqlite3_free(error);
        throw StoreFileError(path_ + ": " + why + " (in '" + sql + "')");
    }
}

void SqliteStore::fail(const std::string& what) const {
    throw StoreFileError(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

namespace {
/// Steps a write statement to completion and resets it for the next use.
bool run(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_DONE;
}

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
}  // namespace

std::size_t SqliteStore::load(storage::MessageStore& store) {
    store.set_journal(nullptr);  // what is read back is already in the file
    sqlite3_stmt* rows = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "SELECT hash, owner, namespace, timestamp_ms, expiry_ms, data FROM "
                           "messages ORDER BY id",
                           -1, &rows, nullptr) != SQLITE_OK)
        fail("cannot read messages");
    std::size_t loaded = 0;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
        storage::StoredMessage m;
        m.hash = reinterpret_cast<const char*>(sqlite3_column_text(rows, 0));
        m.owner =
            identity::AccountId::parse(reinterpret_cast<const char*>(sqlite3_column_text(rows, 1)));
        m.ns = static_cast<storage::Namespace>(sqlite3_column_int64(rows, 2));
        m.timestamp_ms = sqlite3_column_int64(rows, 3);
        m.expiry_ms = sqlite3_column_int64(rows, 4);
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(rows, 5));
        m.data.assign(data, data + sqlite3_column_bytes(rows, 5));
        store.store(std::move(m));
        ++loaded;
    }
    sqlite3_finalize(rows);
    if (rc != SQLITE_DONE)
        fail("reading messages failed");
    sqlite3_stmt* revoked = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT owner, token FROM revoked_subaccounts ORDER BY id", -1,
                           &revoked, nullptr) != SQLITE_OK)
        fail("cannot read revoked subaccounts");
    while (sqlite3_step(revoked) == SQLITE_ROW) {
        storage::SubaccountToken token;
        if (sqlite3_column_bytes(revoked, 1) != static_cast<int>(token.bytes.size()))
            continue;
        const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(revoked, 1));
        std::copy(bytes, bytes + token.bytes.size(), token.bytes.begin());
        store.revoke_subaccount(identity::AccountId::parse(
                                    reinterpret_cast<const char*>(sqlite3_column_text(revoked, 0))),
                                token);
    }
    sqlite3_finalize(revoked);
    store.set_journal(this);
    return loaded;
}

void SqliteStore::inserted(const storage::StoredMessage& m) {
    auto* s = insert_->stmt;
    bind_text(s, 1, m.hash);
    bind_text(s, 2, m.owner.to_hex());
    sqlite3_bind_int64(s, 3, m.ns);
    sqlite3_bind_int64(s, 4, m.timestamp_ms);
    sqlite3_bind_int64(s, 5, m.expiry_ms);
    sqlite3_bind_blob(s, 6, m.data.data(), static_cast<int>(m.data.size()), SQLITE_TRANSIENT);
    if (!run(s))
        fail("cannot store message " + m.hash);
}

void SqliteStore::erased(const std::string& hash) {
    bind_text(erase_->stmt, 1, hash);
    if (!run(erase_->stmt))
        fail("cannot delete message " + hash);
}

void SqliteStore::expiry_changed(const std::string& hash, std::int64_t expiry_ms) {
    sqlite3_bind_int64(expiry_->stmt, 1, expiry_ms);
    bind_text(expiry_->stmt, 2, hash);
    if (!run(expiry_->stmt))
        fail("cannot update the expiry of " + hash);
}

void SqliteStore::subaccount_revoked(const identity::AccountId& owner,
                                     const storage::SubaccountToken& token) {
    bind_text(revoke_->stmt, 1, owner.to_hex());
    sqlite3_bind_blob(revoke_->stmt, 2, token.bytes.data(), static_cast<int>(token.bytes.size()),
                      SQLITE_TRANSIENT);
    if (!run(revoke_->stmt))
        fail("cannot record a revoked subaccount");
}

std::set<std::string> stored_hashes(const std::string& path) {
    sqlite3* db = nullptr;
    const auto fail = [&](const std::string& what) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw StoreFileError(path + ": " + what + ": " + why);
    };
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        fail("cannot open the message database");
    sqlite3_busy_timeout(db, 2000);  // a checkpoint by the node can hold the file briefly
    sqlite3_stmt* rows = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT hash FROM messages", -1, &rows, nullptr) != SQLITE_OK)
        fail("cannot read messages");
    std::set<std::string> hashes;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW)
        hashes.emplace(reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)));
    sqlite3_finalize(rows);
    if (rc != SQLITE_DONE)
        fail("reading messages failed");
    sqlite3_close(db);
    return hashes;
}

}  // namespace sessionsim::testbed
