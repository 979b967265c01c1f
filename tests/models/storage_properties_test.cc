// Storage rules as properties: generated sequences of stores (new, duplicate, public outbox),
// deletes, expiry updates, sweeps and the passing of time run against a MessageStore and
// against a plain reference model of the storage server's rules; after every step the two must
// hold the same messages in the same order. And the store RPC's TTL and clock rules at and
// around their bounds. Seeds and case counts: tests/support/properties.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/common/base64.h"
#include "models/crypto/hash.h"
#include "models/identity/keys.h"
#include "models/storage/limits.h"
#include "models/storage/message_hash.h"
#include "models/storage/message_store.h"
#include "models/storage/request_handler.h"
#include "tests/support/properties.h"

namespace sessionsim::storage {
namespace {

using test::check_property;

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr int kAccounts = 3;
constexpr int kDataVariants = 3;
/// Ordinary, signed-private, group and two public-outbox namespaces (-1, -21: one message each).
constexpr Namespace kNamespaces[] = {0, 2, 11, -1, -21};
constexpr int kNamespaceCount = static_cast<int>(std::size(kNamespaces));

identity::AccountId account(int i) {
    identity::AccountId id;
    id.key[0] = static_cast<std::uint8_t>(i + 1);
    return id;
}

/// What a message's hash is a function of in the real store: account, namespace and data.
std::string hash_of(int owner, Namespace ns, int data) {
    return "h" + std::to_string(owner) + "/" + std::to_string(ns) + "/" + std::to_string(data);
}

Bytes data_of(int variant) {
    return Bytes(static_cast<std::size_t>(variant) * 37, static_cast<std::uint8_t>(variant));
}

enum class OpKind { store, advance_and_sweep, delete_hashes, delete_all, update_expiry };

/// One generated step. Fields a kind does not use are ignored.
struct Op {
    OpKind kind = OpKind::store;
    int owner = 0;
    int ns = 0;    ///< index into kNamespaces; kNamespaceCount: every namespace (delete_all)
    int data = 0;  ///< which payload, hence which hash
    std::int64_t timestamp_offset = 0;
    std::int64_t ttl = 0;      ///< store: expiry = now + ttl; update: the new expiry likewise
    std::vector<int> targets;  ///< (owner, ns, data) triples flattened, for deletes and updates
    ExpiryMode mode = ExpiryMode::set;
};

void showValue(const Op& op, std::ostream& os) {
    os << "{kind " << static_cast<int>(op.kind) << " owner " << op.owner << " ns " << op.ns
       << " data " << op.data << " ts+" << op.timestamp_offset << " ttl " << op.ttl << " targets "
       << op.targets.size() / 3 << " mode " << static_cast<int>(op.mode) << "}";
}

rc::Gen<Op> any_op() {
    // TTLs in whole seconds from already expired to a minute, so that sweeps find work.
    const auto ttl = rc::gen::map(rc::gen::inRange<std::int64_t>(-5, 61),
                                  [](std::int64_t s) { return s * kSecond; });
    return rc::gen::build<Op>(
        rc::gen::set(&Op::kind, rc::gen::weightedElement<OpKind>({{6, OpKind::store},
                                                                  {3, OpKind::advance_and_sweep},
                                                                  {1, OpKind::delete_hashes},
                                                                  {1, OpKind::delete_all},
                                                                  {2, OpKind::update_expiry}})),
        rc::gen::set(&Op::owner, rc::gen::inRange(0, kAccounts)),
        rc::gen::set(&Op::ns, rc::gen::inRange(0, kNamespaceCount + 1)),
        rc::gen::set(&Op::data, rc::gen::inRange(0, kDataVariants)),
        rc::gen::set(&Op::timestamp_offset, rc::gen::inRange<std::int64_t>(-3, 4)),
        rc::gen::set(&Op::ttl, ttl),
        rc::gen::set(&Op::targets, rc::gen::resize(12, rc::gen::container<std::vector<int>>(
                                                           rc::gen::inRange(0, kDataVariants)))),
        rc::gen::set(&Op::mode, rc::gen::element(ExpiryMode::set, ExpiryMode::extend_only,
                                                 ExpiryMode::shorten_only)));
}

/// The rules, written as plainly as possible: a list in insertion order.
struct ModelMessage {
    int owner;
    Namespace ns;
    std::string hash;
    std::int64_t timestamp;
    std::int64_t expiry;
    std::size_t size;
};

class Model {
public:
    StoreOutcome store(int owner, Namespace ns, const std::string& hash, std::int64_t timestamp,
                       std::int64_t expiry, std::size_t size) {
        if (auto* existing = find(hash)) {
            if (expiry > existing->expiry) {
                existing->expiry = expiry;
                return {StoreResult::extended, expiry};
            }
            return {StoreResult::exists, existing->expiry};
        }
        if (is_public_outbox(ns)) {
            const auto current = std::find_if(messages_.begin(), messages_.end(), [&](auto& m) {
                return m.owner == owner && m.ns == ns;
            });
            if (current != messages_.end()) {
                if (timestamp <= current->timestamp)
                    return {StoreResult::obsolete, current->expiry};
                messages_.erase(current);
            }
        }
        messages_.push_back({owner, ns, hash, timestamp, expiry, size});
        return {StoreResult::created, expiry};
    }

    std::size_t sweep(std::int64_t now) {
        return std::erase_if(messages_, [&](const auto& m) { return m.expiry <= now; });
    }

    std::vector<std::string> delete_hashes(int owner, const std::vector<std::string>& hashes) {
        std::vector<std::string> deleted;
        for (const auto& h : hashes) {
            if (const auto* m = find(h); m && m->owner == owner)
                deleted.push_back(h);
        }
        std::erase_if(messages_, [&](const auto& m) {
            return m.owner == owner &&
                   std::find(hashes.begin(), hashes.end(), m.hash) != hashes.end();
        });
        std::sort(deleted.begin(), deleted.end());
        deleted.erase(std::unique(deleted.begin(), deleted.end()), deleted.end());
        return deleted;
    }

    std::size_t delete_all(int owner, std::optional<Namespace> ns) {
        return std::erase_if(
            messages_, [&](const auto& m) { return m.owner == owner && (!ns || m.ns == *ns); });
    }

    std::vector<std::string> update_expiry(int owner, const std::vector<std::string>& hashes,
                                           std::int64_t expiry, ExpiryMode mode) {
        std::vector<std::string> updated;
        for (const auto& h : hashes) {
            auto* m = find(h);
            if (!m || m->owner != owner)
                continue;
            if (mode == ExpiryMode::set ||
                (mode == ExpiryMode::extend_only && m->expiry < expiry) ||
                (mode == ExpiryMode::shorten_only && m->expiry > expiry)) {
                m->expiry = expiry;
                updated.push_back(h);
            }
        }
        std::sort(updated.begin(), updated.end());
        updated.erase(std::unique(updated.begin(), updated.end()), updated.end());
        return updated;
    }

    /// The owner's messages in a namespace, oldest store first.
    std::vector<const ModelMessage*> of(int owner, Namespace ns) const {
        std::vector<const ModelMessage*> out;
        for (const auto& m : messages_) {
            if (m.owner == owner && m.ns == ns)
                out.push_back(&m);
        }
        return out;
    }

    const std::vector<ModelMessage>& all() const { return messages_; }

private:
    ModelMessage* find(const std::string& hash) {
        const auto it = std::find_if(messages_.begin(), messages_.end(),
                                     [&](const auto& m) { return m.hash == hash; });
        return it == messages_.end() ? nullptr : &*it;
    }
    std::vector<ModelMessage> messages_;
};

std::vector<std::string> hashes_of(const Op& op) {
    std::vector<std::string> hashes;
    for (std::size_t i = 0; i + 2 < op.targets.size(); i += 3) {
        hashes.push_back(hash_of(op.targets[i] % kAccounts,
                                 kNamespaces[op.targets[i + 1] % kNamespaceCount],
                                 op.targets[i + 2]));
    }
    return hashes;
}

/// Every retrieve the store can answer agrees with the model: full listings in insertion order,
/// and pages of `page_count` that respect the count and size limits and add up to the listing.
void expect_same_contents(const MessageStore& store, const Model& model, std::size_t page_count,
                          std::int64_t page_size) {
    RC_ASSERT(store.size() == model.all().size());
    std::size_t bytes = 0;
    for (const auto& m : model.all()) {
        bytes += m.size;
        const StoredMessage* stored = store.find(m.hash);
        RC_ASSERT(stored != nullptr);
        RC_ASSERT(stored->expiry_ms == m.expiry);
        RC_ASSERT(stored->owner == account(m.owner));
        RC_ASSERT(stored->ns == m.ns);
    }
    RC_ASSERT(store.data_bytes() == bytes);
    for (int owner = 0; owner < kAccounts; ++owner) {
        for (const Namespace ns : kNamespaces) {
            const auto expected = model.of(owner, ns);
            if (is_public_outbox(ns))
                RC_ASSERT(expected.size() <= 1u);
            const auto everything = store.retrieve(account(owner), ns, "", SIZE_MAX, INT64_MAX);
            RC_ASSERT(!everything.more);
            RC_ASSERT(everything.messages.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i)
                RC_ASSERT(everything.messages[i]->hash == expected[i]->hash);

            std::vector<std::string> paged;
            std::string last_hash;
            for (std::size_t pages = 0; pages <= expected.size(); ++pages) {
                const auto page =
                    store.retrieve(account(owner), ns, last_hash, page_count, page_size);
                RC_ASSERT(page.messages.size() <= std::max<std::size_t>(page_count, 1));
                std::int64_t total = 0;
                for (const auto* m : page.messages) {
                    total += kMessageOverhead + static_cast<std::int64_t>(m->hash.size()) +
                             static_cast<std::int64_t>(m->data.size()) * 4 / 3;
                    paged.push_back(m->hash);
                }
                RC_ASSERT(page.messages.size() <= 1u || total <= page_size);
                if (!page.more)
                    break;
                RC_ASSERT(!page.messages.empty());
                last_hash = page.messages.back()->hash;
            }
            RC_ASSERT(paged.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i)
                RC_ASSERT(paged[i] == expected[i]->hash);
        }
    }
}

// 1,000 cases of up to 150 steps (the length grows with the case number): about 1 s.
TEST(StorageProperties, TheStoreFollowsTheRulesThroughAnySequenceOfOperations) {
    check_property(
        1000,
        [] {
            const auto ops = *rc::gen::container<std::vector<Op>>(any_op());
            const auto page_count = *rc::gen::inRange<std::size_t>(0, 5);
            const auto page_size = *rc::gen::inRange<std::int64_t>(1, 1000);
            MessageStore store;
            Model model;
            std::int64_t now = kStart;
            for (const Op& op : ops) {
                const int ns_index = op.ns % kNamespaceCount;
                const Namespace ns = kNamespaces[ns_index];
                switch (op.kind) {
                    case OpKind::store: {
                        const std::string hash = hash_of(op.owner, ns, op.data);
                        const std::int64_t timestamp = now + op.timestamp_offset * kSecond;
                        const std::int64_t expiry = now + op.ttl;
                        const std::size_t before = store.size();
                        const StoreOutcome got = store.store(StoredMessage{
                            account(op.owner), ns, hash, timestamp, expiry, data_of(op.data)});
                        const StoreOutcome want = model.store(op.owner, ns, hash, timestamp, expiry,
                                                              data_of(op.data).size());
                        RC_ASSERT(got.result == want.result);
                        RC_ASSERT(got.expiry_ms == want.expiry_ms);
                        // A hash already held never makes a second copy.
                        if (got.result != StoreResult::created)
                            RC_ASSERT(store.size() == before);
                        break;
                    }
                    case OpKind::advance_and_sweep: {
                        now += op.ttl > 0 ? op.ttl : kCleanupPeriod;
                        const std::size_t removed = store.clean_expired(now);
                        RC_ASSERT(removed == model.sweep(now));
                        // Nothing expired survives a sweep; nothing unexpired is swept.
                        for (const auto* m : store.all())
                            RC_ASSERT(m->expiry_ms > now);
                        break;
                    }
                    case OpKind::delete_hashes: {
                        const auto hashes = hashes_of(op);
                        RC_ASSERT(store.delete_hashes(account(op.owner), hashes) ==
                                  model.delete_hashes(op.owner, hashes));
                        break;
                    }
                    case OpKind::delete_all: {
                        const std::optional<Namespace> which =
                            op.ns == kNamespaceCount ? std::nullopt : std::optional<Namespace>(ns);
                        const auto deleted = store.delete_all(account(op.owner), which);
                        RC_ASSERT(deleted.size() == model.delete_all(op.owner, which));
                        RC_ASSERT(std::is_sorted(
                            deleted.begin(), deleted.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; }));
                        break;
                    }
                    case OpKind::update_expiry: {
                        const auto hashes = hashes_of(op);
                        const std::int64_t expiry = now + op.ttl;
                        RC_ASSERT(store.update_expiry(account(op.owner), hashes, expiry, op.mode)
                                      .updated ==
                                  model.update_expiry(op.owner, hashes, expiry, op.mode));
                        break;
                    }
                }
                expect_same_contents(store, model, page_count, page_size);
            }
        },
        150);
}

identity::Identity identity_of(const std::string& name) {
    return identity::Identity::from_ed25519_seed(
        crypto::Ed25519Seed::from(crypto::blake2b_256({as_bytes(name)})));
}

/// A timestamp or TTL offset near `bound`, or anywhere in [low, high): boundaries are where the
/// rules change, so they are drawn often.
rc::Gen<std::int64_t> near(std::int64_t bound, std::int64_t low, std::int64_t high) {
    return rc::gen::weightedOneOf<std::int64_t>({
        {2, rc::gen::map(rc::gen::inRange<std::int64_t>(-2, 3),
                         [bound](std::int64_t d) { return bound + d; })},
        {1, rc::gen::resize(100, rc::gen::inRange<std::int64_t>(low, high))},
    });
}

// 1,000 cases: about 0.2 s. A store to an inbox (no signature needed) through the RPC handler of
// the only node of the only swarm: 403 outside the TTL bounds, else 406 outside the clock
// tolerance, else stored with expiry = timestamp + ttl.
TEST(StorageProperties, StoreAcceptsExactlyTheTtlsAndTimestampsTheRulesAllow) {
    static const identity::Identity node = identity_of("property node");
    static const identity::Identity sender = identity_of("property account");
    check_property(1000, [] {
        constexpr std::int64_t kNow = kStart;
        const std::int64_t ttl = *rc::gen::oneOf(near(kTtlMinimum, 0, kTtlMaximumPublic * 2),
                                                 near(kTtlMaximumPublic, 0, kTtlMaximumPublic * 2));
        const std::int64_t offset = *rc::gen::oneOf(
            near(kStoreTolerance, -kTtlMaximumPublic * 2, kStoreTolerance * 2),
            near(-kStoreTolerance - ttl, -kTtlMaximumPublic * 2, kStoreTolerance * 2));
        const std::int64_t timestamp = kNow + offset;
        const std::string data = "m" + std::to_string(ttl) + "/" + std::to_string(offset);

        MessageStore store;
        RequestHandler handler(store, node.ed25519());
        const NodeContact self{node.ed25519().public_key, node.x25519().public_key, 0x0a000001};
        handler.set_swarms(std::make_shared<const SwarmView>(
            std::map<swarm::SwarmId, std::vector<NodeContact>>{{0, {self}}}));
        const nlohmann::json params{{"pubkey", sender.session_id().to_hex()},
                                    {"timestamp", timestamp},
                                    {"ttl", ttl},
                                    {"data", to_base64(as_bytes(data))}};
        auto outcome = handler.handle("store", params, kNow);
        if (const auto* pending = std::get_if<Pending>(&outcome))
            outcome = handler.complete(*pending,
                                       std::vector<std::map<crypto::Ed25519PublicKey, PeerAnswer>>(
                                           pending->fanouts.size()),
                                       kNow);
        const auto& response = std::get<RpcResponse>(outcome);

        const bool ttl_ok = ttl >= kTtlMinimum && ttl <= kTtlMaximumPublic;
        const bool clock_ok =
            timestamp <= kNow + kStoreTolerance && timestamp + ttl >= kNow - kStoreTolerance;
        const int expected = !ttl_ok ? 403 : !clock_ok ? 406 : 200;
        RC_ASSERT(response.status == expected);
        const StoredMessage* stored =
            store.find(message_hash(sender.session_id(), 0, as_bytes(data)));
        RC_ASSERT((stored != nullptr) == (expected == 200));
        if (stored)
            RC_ASSERT(stored->expiry_ms == timestamp + ttl);
    });
}

}  // namespace
}  // namespace sessionsim::storage
