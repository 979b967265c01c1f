// TLS for the testbed's HTTP (OpenSSL through Boost.Asio): real storage servers serve HTTPS with
// a self-signed certificate they make themselves. The testbed's clients do not verify it (a
// self-signed certificate names no CA; what authenticates a node is its Ed25519/X25519 keys,
// which the onion layers are encrypted to). With TLS a new connection costs what it costs on
// the real network: a TCP handshake and then a TLS 1.3 one, one more round trip before the
// request.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace sessionsim::testbed {

/// A server context with a fresh P-256 key and a self-signed certificate for `common_name`.
/// Throws std::runtime_error with OpenSSL's reason if it cannot be made.
std::shared_ptr<boost::asio::ssl::context> self_signed_server_context(
    const std::string& common_name);

/// A client context that accepts any certificate (self-signed node certificates cannot be
/// checked against a CA; the onion layers authenticate the node).
std::shared_ptr<boost::asio::ssl::context> unverified_client_context();

}  // namespace sessionsim::testbed
