// The testbed node's SQLite store: what the in-memory store did is what a restarted node finds,
// including after the process dies without closing the database.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "testbed/sqlite_store.h"

namespace sessionsim::testbed {
namespace {

namespace fs = std::filesystem;

identity::AccountId account(std::uint8_t n) {
    char last[3];
    std::snprintf(last, sizeof last, "%02x", n);
    return identity::AccountId::parse("05" + std::string(62, '0') + last);
}

storage::StoredMessage message(std::uint8_t owner, const std::string& hash, std::int64_t expiry) {
    return {account(owner), 0, hash, 1'700'000'000'000, expiry, Bytes{1, 2, 3, owner}};
}

struct TempDb {
    fs::path path = fs::temp_directory_path() /
                    ("sessionsim-store-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    TempDb() { remove(); }
    ~TempDb() { remove(); }
    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(path.string() + suffix);
    }
};

std::vector<std::string> hashes(const storage::MessageStore& store, std::uint8_t owner) {
    std::vector<std::string> out;
    for (const auto* m : store.retrieve(account(owner), 0, "", 100, 1 << 20).messages)
        out.push_back(m->hash + "@" + std::to_string(m->expiry_ms));
    return out;
}

TEST(SqliteStore, ARestartedNodeFindsWhatTheStoreHeldInTheSameOrder) {
    TempDb db;
    storage::MessageStore before;
    {
        SqliteStore file(db.path.string());
        EXPECT_EQ(file.load(before), 0u);
        for (const auto* h : {"c", "a", "b", "d"})
            before.store(message(1, h, 5'000));
        before.store(message(2, "e", 5'000));
        before.delete_hashes(account(1), {"b"});
        before.update_expiry(account(1), {"a"}, 9'000, storage::ExpiryMode::extend_only);
        before.store(message(1, "d", 7'000));  // a duplicate with a later expiry: extends
        before.revoke_subaccount(account(1), storage::SubaccountToken{});
    }
    storage::MessageStore after;
    SqliteStore file(db.path.string());
    EXPECT_EQ(file.load(after), 4u);
    EXPECT_EQ(hashes(after, 1), hashes(before, 1));
    EXPECT_EQ(hashes(after, 1), (std::vector<std::string>{"c@5000", "a@9000", "d@7000"}));
    EXPECT_EQ(hashes(after, 2), std::vector<std::string>{"e@5000"});
    EXPECT_TRUE(after.subaccount_revoked(account(1), storage::SubaccountToken{}));
    // The reloaded store keeps writing through: expiry sweeps reach the file too.
    EXPECT_EQ(after.clean_expired(6'000), 2u);
    storage::MessageStore again;
    SqliteStore reopened(db.path.string());
    EXPECT_EQ(reopened.load(again), 2u);
}

TEST(SqliteStore, WhatWasAcknowledgedSurvivesAProcessThatDiesWithoutClosingTheFile) {
    TempDb db;
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        storage::MessageStore store;
        auto* file = new SqliteStore(db.path.string());  // never closed: the process just ends
        file->load(store);
        store.store(message(3, "kept", 5'000));
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    storage::MessageStore store;
    SqliteStore file(db.path.string());
    EXPECT_EQ(file.load(store), 1u);
    EXPECT_EQ(hashes(store, 3), std::vector<std::string>{"kept@5000"});
}

TEST(SqliteStore, StoredHashesReadsWhileTheNodeKeepsTheFileOpenAndWriting) {
    TempDb db;
    storage::MessageStore store;
    SqliteStore file(db.path.string());  // the running node's handle
    file.load(store);
    store.store(message(1, "x", 5'000));
    store.store(message(2, "y", 5'000));
    EXPECT_EQ(stored_hashes(db.path.string()), (std::set<std::string>{"x", "y"}));
    store.delete_hashes(account(1), {"x"});
    store.store(message(1, "z", 5'000));  // the node writes on after the read
    EXPECT_EQ(stored_hashes(db.path.string()), (std::set<std::string>{"y", "z"}));
    EXPECT_THROW(stored_hashes("/nonexistent-dir/node.db"), StoreFileError);
}

TEST(SqliteStore, AnUnopenableFileIsAnErrorNamingIt) {
    try {
        SqliteStore file("/nonexistent-dir/node.db");
        FAIL() << "expected StoreFileError";
    } catch (const StoreFileError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/node.db"), std::string::npos);
    }
}

}  // namespace
}  // namespace sessionsim::testbed
