// The storage server's client RPC (storage server request_handler.cpp), sans-I/O: a request and
// the current time in; a response, or a request to consult the rest of the swarm, out.
//
// Recursive methods (store, delete, delete_all, expire) run locally on the entry node, which
// then forwards the same request to every other swarm member (sn.storage_cc) and answers once
// they reply or time out. handle() returns that as a Pending; the caller forwards
// Pending::fanouts[i].params to the peers (handle(..., forwarded=true) on their side) and passes
// what came back to complete().
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/crypto/ed25519.h"
#include "models/storage/message_store.h"
#include "models/storage/subaccount.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::storage {

struct RpcResponse {
    int status = 200;
    nlohmann::json body;  ///< an object, or a string for plain-text errors

    /// The body as the wire carries it: JSON dumped, text as is.
    std::string body_text() const {
        return body.is_string() ? body.get<std::string>() : body.dump();
    }
};

/// One recursive request waiting on its swarm peers.
struct Fanout {
    std::string method;
    nlohmann::json params;  ///< forward exactly these
    std::vector<crypto::Ed25519PublicKey> peers;
    crypto::Ed25519PublicKey self{};
    nlohmann::json own;     ///< this node's own result entry
    nlohmann::json extra;   ///< top-level fields besides swarm (store: hash)
    bool required = false;  ///< delete with required=true: 404 if none
};

/// A request whose reply needs peer answers: one fanout for a plain request, one per
/// recursive subrequest of a batch (the other batch slots are already answered).
struct Pending {
    bool batch = false;
    std::vector<std::optional<RpcResponse>> slots;  ///< batch results; nullopt = fanout pending
    std::vector<std::size_t> fanout_slot;           ///< slot each fanout fills
    std::vector<Fanout> fanouts;
};

using RpcOutcome = std::variant<RpcResponse, Pending>;

/// What a peer answered (status and its own result body), or nullopt for a timeout.
using PeerAnswer = std::optional<RpcResponse>;

class RequestHandler {
public:
    RequestHandler(MessageStore& store, crypto::Ed25519KeyPair node,
                   std::array<int, 2> hardfork = {19, 3});

    /// The network's current swarms (changes at blocks). One immutable view is shared by every
    /// node of a simulation, so a block costs one copy, not one per node.
    void set_swarms(std::shared_ptr<const SwarmView> view);
    const SwarmView& swarms() const { return *swarms_; }
    const std::shared_ptr<const SwarmView>& swarms_ptr() const { return swarms_; }

    /// A client request body {"method", "params"} (HTTPS /storage_rpc/v1, or an onion request's
    /// final payload).
    RpcOutcome handle_body(std::string_view body, std::int64_t now_ms);

    /// One method call. `forwarded` marks a peer's sn.storage_cc copy of a recursive request.
    RpcOutcome handle(const std::string& method, const nlohmann::json& params, std::int64_t now_ms,
                      bool forwarded = false);

    /// Assembles the reply once every fanout's peers answered. `answers[i]` belongs to
    /// pending.fanouts[i], keyed by peer.
    RpcResponse complete(const Pending& pending,
                         const std::vector<std::map<crypto::Ed25519PublicKey, PeerAnswer>>& answers,
                         std::int64_t now_ms) const;

    /// "t" and "hf", as every answer carries them.
    void add_time_fields(nlohmann::json& body, std::int64_t now_ms) const;
    /// This node's Ed25519 signature over `message`, base64.
    std::string sign(std::string_view message) const;

private:
    struct Call;
    RpcOutcome dispatch(const Call& call);
    RpcOutcome run_batch(const nlohmann::json& params, std::int64_t now_ms, bool sequence);

    RpcOutcome store(const Call& call);
    RpcOutcome retrieve(const Call& call);
    RpcOutcome delete_msgs(const Call& call);
    RpcOutcome delete_all(const Call& call);
    RpcOutcome expire(const Call& call);
    RpcOutcome revoke_subaccount(const Call& call);
    RpcOutcome get_swarm(const Call& call);
    RpcOutcome info(const Call& call);

    /// 421 unless `account` belongs to this node's swarm.
    std::optional<RpcResponse> wrong_swarm(const identity::AccountId& account,
                                           std::int64_t now_ms) const;
    /// The request's signature over `signed_string`: the owner's (or, for 05 accounts, the
    /// pubkey_ed25519 behind it), or a subaccount's whose token grants `needed` and is not
    /// revoked (revoked tokens may still read the unrevocable namespaces, e.g. -11).
    bool authorized(const identity::AccountId& account,
                    const std::optional<crypto::Ed25519PublicKey>& ed_key,
                    const std::optional<SignedSubaccount>& subaccount,
                    const crypto::Ed25519Signature& signature, std::string_view signed_string,
                    SubaccountAccess needed, std::optional<Namespace> ns) const;
    RpcOutcome recursive_result(const Call& call, nlohmann::json own, nlohmann::json extra,
                                bool required = false) const;

    MessageStore& store_;
    crypto::Ed25519KeyPair node_;
    std::array<int, 2> hardfork_;
    std::shared_ptr<const SwarmView> swarms_ = std::make_shared<const SwarmView>();
};

}  // namespace sessionsim::storage
