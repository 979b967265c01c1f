#include "models/storage/message_store.h"

#include <algorithm>

#include "models/storage/limits.h"

namespace sessionsim::storage {

StoreOutcome MessageStore::store(StoredMessage message) {
    if (const auto it = by_hash_.find(message.hash); it != by_hash_.end()) {
        StoredMessage& existing = rows_.at(it->second);
        if (message.expiry_ms > existing.expiry_ms) {
            set_expiry(it->second, message.expiry_ms);
            return {StoreResult::extended, existing.expiry_ms};
        }
        return {StoreResult::exists, existing.expiry_ms};
    }
    const OwnerKey key{message.owner, message.ns};
    if (is_public_outbox(message.ns)) {
        // One message per outbox: a newer one replaces it; an older one is refused.
        if (const auto owned = by_owner_.find(key);
            owned != by_owner_.end() && !owned->second.empty()) {
            const Row current = *owned->second.begin();
            if (message.timestamp_ms <= rows_.at(current).timestamp_ms) {
                return {StoreResult::obsolete, rows_.at(current).expiry_ms};
            }
            erase_row(current);
        }
    }
    const Row row = next_row_++;
    const std::int64_t expiry = message.expiry_ms;
    data_bytes_ += message.data.size();
    by_hash_.emplace(message.hash, row);
    by_owner_[key].insert(row);
    by_expiry_.emplace(expiry, row);
    const auto& stored = rows_.emplace(row, std::move(message)).first->second;
    if (journal_)
        journal_->inserted(stored);
    if (on_created_)
        on_created_(stored);
    return {StoreResult::created, expiry};
}

RetrievePage MessageStore::retrieve(const identity::AccountId& owner, Namespace ns,
                                    const std::string& last_hash, std::size_t max_count,
                                    std::int64_t max_size) const {
    RetrievePage page;
    const auto owned = by_owner_.find({owner, ns});
    if (owned == by_owner_.end())
        return page;
    auto it = owned->second.begin();
    if (!last_hash.empty()) {
        if (const auto h = by_hash_.find(last_hash);
            h != by_hash_.end() && owned->second.count(h->second)) {
            it = owned->second.upper_bound(h->second);
        }
    }
    max_count = std::max<std::size_t>(max_count, 1);
    std::int64_t total = 0;
    for (; it != owned->second.end(); ++it) {
        if (page.messages.size() == max_count) {
            page.more = true;
            break;
        }
        const StoredMessage& m = rows_.at(*it);
        total += kMessageOverhead + static_cast<std::int64_t>(m.hash.size()) +
                 static_cast<std::int64_t>(m.data.size()) * 4 / 3;
        if (!page.messages.empty() && total > max_size) {
            page.more = true;
            break;
        }
        page.messages.push_back(&m);
    }
    return page;
}

std::vector<std::string> MessageStore::delete_hashes(const identity::AccountId& owner,
                                                     const std::vector<std::string>& hashes) {
    std::vector<std::string> deleted;
    for (const auto& h : hashes) {
        const auto it = by_hash_.find(h);
        if (it == by_hash_.end() || rows_.at(it->second).owner != owner)
            continue;
        erase_row(it->second);
        deleted.push_back(h);
    }
    std::sort(deleted.begin(), deleted.end());
    deleted.erase(std::unique(deleted.begin(), deleted.end()), deleted.end());
    return deleted;
}

std::vector<std::pair<Namespace, std::string>> MessageStore::delete_all(
    const identity::AccountId& owner, std::optional<Namespace> ns) {
    std::vector<Row> doomed;
    for (auto it = by_owner_.lower_bound({owner, INT16_MIN});
         it != by_owner_.end() && it->first.first == owner; ++it) {
        if (ns && it->first.second != *ns)
            continue;
        doomed.insert(doomed.end(), it->second.begin(), it->second.end());
    }
    std::vector<std::pair<Namespace, std::string>> deleted;
    for (const Row row : doomed) {
        deleted.emplace_back(rows_.at(row).ns, rows_.at(row).hash);
        erase_row(row);
    }
    std::sort(deleted.begin(), deleted.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    return deleted;
}

ExpiryUpdate MessageStore::update_expiry(const identity::AccountId& owner,
                                         const std::vector<std::string>& hashes,
                                         std::int64_t expiry_ms, ExpiryMode mode) {
    ExpiryUpdate out;
    for (const auto& h : hashes) {
        const auto it = by_hash_.find(h);
        if (it == by_hash_.end() || rows_.at(it->second).owner != owner)
            continue;
        const std::int64_t current = rows_.at(it->second).expiry_ms;
        const bool apply = mode == ExpiryMode::set ||
                           (mode == ExpiryMode::extend_only && current < expiry_ms) ||
                           (mode == ExpiryMode::shorten_only && current > expiry_ms);
        if (apply) {
            set_expiry(it->second, expiry_ms);
            out.updated.push_back(h);
        } else {
            out.unchanged[h] = current;
        }
    }
    std::sort(out.updated.begin(), out.updated.end());
    out.updated.erase(std::unique(out.updated.begin(), out.updated.end()), out.updated.end());
    return out;
}

std::size_t MessageStore::clean_expired(std::int64_t now_ms) {
    std::size_t removed = 0;
    while (!by_expiry_.empty() && by_expiry_.begin()->first <= now_ms) {
        erase_row(by_expiry_.begin()->second);
        ++removed;
    }
    return removed;
}

const StoredMessage* MessageStore::find(const std::string& hash) const {
    const auto it = by_hash_.find(hash);
    return it == by_hash_.end() ? nullptr : &rows_.at(it->second);
}

std::vector<const StoredMessage*> MessageStore::all() const {
    std::vector<const StoredMessage*> out;
    out.reserve(rows_.size());
    for (const auto& [row, m] : rows_)
        out.push_back(&m);
    return out;
}

void MessageStore::erase_row(Row row) {
    const auto it = rows_.find(row);
    if (it == rows_.end())
        return;
    const StoredMessage& m = it->second;
    by_hash_.erase(m.hash);
    by_expiry_.erase({m.expiry_ms, row});
    if (auto owned = by_owner_.find({m.owner, m.ns}); owned != by_owner_.end()) {
        owned->second.erase(row);
        if (owned->second.empty())
            by_owner_.erase(owned);
    }
    data_bytes_ -= m.data.size();
    if (journal_)
        journal_->erased(m.hash);
    rows_.erase(it);
}

void MessageStore::set_expiry(Row row, std::int64_t expiry_ms) {
    StoredMessage& m = rows_.at(row);
    by_expiry_.erase({m.expiry_ms, row});
    m.expiry_ms = expiry_ms;
    by_expiry_.emplace(expiry_ms, row);
    if (journal_)
        journal_->expiry_changed(m.hash, expiry_ms);
}

void MessageStore::revoke_subaccount(const identity::AccountId& owner,
                                     const SubaccountToken& token) {
    revocations_[owner].revoke(token);
    if (journal_)
        journal_->subaccount_revoked(owner, token);
}

bool MessageStore::subaccount_revoked(const identity::AccountId& owner,
                                      const SubaccountToken& token) const {
    const auto it = revocations_.find(owner);
    return it != revocations_.end() && it->second.revoked(token);
}

}  // namespace sessionsim::storage
