// A community (open group) server, SOGS-style, sans-I/O, behind v4 onion requests. Members post
// signed messages to a room and poll it; nothing is end-to-end encrypted, so the operator reads
// every post, under the poster's blinded ID (15...), which differs from server to server.
//   POST /room/<token>/message   {"data": base64(padded Content), "signature": base64}
//   GET  /room/<token>/messages/since/<seqno>
// Requests are authenticated with X-SOGS-Pubkey (the blinded ID), X-SOGS-Timestamp, X-SOGS-Nonce
// and X-SOGS-Signature: the blinded key's signature over server key || nonce || timestamp ||
// method || path || BLAKE2b-64(body) (the body hash only when there is a body).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/crypto/random.h"
#include "models/identity/keys.h"
#include "models/server/onion_server.h"

namespace sessionsim::server {

struct CommunityPost {
    std::int64_t seqno = 0;
    std::string room;
    std::string session_id;  ///< the poster's blinded ID (hex)
    std::int64_t posted_ms = 0;
    Bytes data;             ///< what the operator can read: the message itself
    std::string signature;  ///< base64
};

class CommunityServer : public V4Server {
public:
    /// `server_key`: the key in the community's URL (blinding and request signatures use it).
    CommunityServer(const crypto::Ed25519PublicKey& server_key, std::vector<std::string> rooms);
    onion::V4Response handle(const onion::V4Request& request, std::int64_t now_ms) override;

    const std::vector<CommunityPost>& posts() const { return posts_; }
    const std::set<std::string>& blinded_ids_seen() const { return ids_seen_; }

private:
    /// The blinded ID of an authenticated request, or an error text.
    std::variant<std::string, std::string> authenticate(const onion::V4Request& request,
                                                        std::int64_t now_ms);

    crypto::Ed25519PublicKey key_;
    std::set<std::string> rooms_;
    std::vector<CommunityPost> posts_;
    std::set<std::string> nonces_, ids_seen_;
};

/// The client side: a signed post of `text`, and a poll of a room after `since`.
onion::V4Request community_post(const identity::Identity& user,
                                const crypto::Ed25519PublicKey& server_key, const std::string& room,
                                std::string_view text, std::int64_t now_ms,
                                crypto::RandomSource& random);
onion::V4Request community_poll(const identity::Identity& user,
                                const crypto::Ed25519PublicKey& server_key, const std::string& room,
                                std::int64_t since, std::int64_t now_ms,
                                crypto::RandomSource& random);

}  // namespace sessionsim::server
