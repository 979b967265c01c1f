// Node side: what a service node does with an onion layer it receives (storage server
// onion_processing.cpp / request_handler.cpp process_onion_req). Pure functions: the caller
// (models/node) performs the resulting action.
#pragma once

#include <string>
#include <variant>

#include "models/common/bytes.h"
#include "models/crypto/random.h"
#include "models/crypto/x25519.h"
#include "models/onion/layer_key.h"
#include "models/onion/routing.h"

namespace sessionsim::onion {

/// MAX_ONION_HOPS: checked when a node receives a forwarded layer (not at the HTTPS entry).
inline constexpr int kMaxOnionHops = 15;

/// A layer as it travels: the ciphertext, the client's ephemeral key for this hop, the enc type,
/// and the hop count so far.
struct LayerEnvelope {
    Bytes ciphertext;
    crypto::X25519PublicKey ephemeral_key{};
    EncType enc_type = EncType::aes_gcm;
    int hop_no = 0;
};

/// A reply travelling back toward the client: HTTP-style status and body bytes. Relays pass it
/// back unchanged; only the final destination encrypts (errors before decryption are plain).
struct OnionReply {
    int status = 200;
    std::string body;
    /// For an error the node encrypted for the client (body is ciphertext), the plain reason;
    /// otherwise empty. For diagnostics and traces only: it never goes on the wire.
    std::string encrypted_error;
};

/// Relay the inner layer to the next node (hop_no already incremented).
struct ForwardToNode {
    crypto::Ed25519PublicKey next{};
    LayerEnvelope layer;
};

/// This node is the destination: run `body` as a storage RPC, then reply with wrap_reply().
struct ExecuteRequest {
    Bytes body;
    ToDestination options;
    LayerKey reply_key;
};

/// POST `payload` (the whole decrypted layer) to the server; its reply goes back unchanged.
struct ForwardToServer {
    Bytes payload;
    ToServer server;
    std::string url;  ///< protocol://host[:port]target
};

using HopAction = std::variant<ForwardToNode, ExecuteRequest, ForwardToServer, OnionReply>;

/// Parses a `/onion_req/v2` body: [N][ciphertext]{"ephemeral_key", ["enc_type"], ["hop_no"]}.
/// On malformed input returns the 400 reply the real node sends
/// ("Error parsing onion request: <reason>").
std::variant<LayerEnvelope, OnionReply> parse_entry_request(ByteView body);

/// sn.onion_request between nodes: bencoded {data, enc_type, ephemeral_key (32 raw bytes),
/// hop_no}. Decoding raises hop_no to at least 1 and rejects more than kMaxOnionHops, returning
/// the real replies ("Invalid internal onion request: …", "onion request max path length
/// exceeded").
std::string encode_forwarded(const LayerEnvelope& layer);
std::variant<LayerEnvelope, OnionReply> decode_forwarded(ByteView message);

/// Decrypts one layer with the node's X25519 key pair and decides what to do. `random` supplies
/// the nonce when the node itself must answer with an encrypted error ("Invalid json",
/// "Invalid url").
HopAction peel_layer(const LayerEnvelope& layer, const crypto::X25519KeyPair& node,
                     crypto::RandomSource& random);

/// The final destination's reply: {"body": …, "status": code} encrypted with the layer key,
/// base64 unless the client asked for raw bytes. `json_body` is embedded as JSON when
/// options.json, else dumped to a string.
OnionReply wrap_reply(int status, const std::string& body, const LayerKey& key,
                      const ToDestination& options, crypto::RandomSource& random);
OnionReply wrap_json_reply(int status, const nlohmann::json& body, const LayerKey& key,
                           const ToDestination& options, crypto::RandomSource& random);

}  // namespace sessionsim::onion
