// What a message store tells a durable copy of itself. The store stays in memory (the protocol
// core has no I/O); a driver that must survive restarts -- the testbed node's SQLite file --
// attaches a journal and writes each change through before the node answers.
#pragma once

#include <cstdint>
#include <string>

#include "models/identity/account_id.h"
#include "models/storage/subaccount.h"

namespace sessionsim::storage {

struct StoredMessage;

class StoreJournal {
public:
    virtual ~StoreJournal() = default;
    /// A new message, in insertion order (the order retrieve pages through).
    virtual void inserted(const StoredMessage& message) = 0;
    /// A message deleted, replaced (public outbox) or expired.
    virtual void erased(const std::string& hash) = 0;
    virtual void expiry_changed(const std::string& hash, std::int64_t expiry_ms) = 0;
    virtual void subaccount_revoked(const identity::AccountId& owner,
                                    const SubaccountToken& token) = 0;
};

}  // namespace sessionsim::storage
