// The protocol toolbox as plain functions: typed inputs in, one JSON object out. The
// `sessionsim proto` subcommands parse their options into these, and the Python bindings call the
// same functions, so both give the same answer for the same input. Bad input throws InvalidInput
// with the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/bytes.h"
#include "models/onion/builder.h"
#include "models/onion/enc_type.h"
#include "sim/cli/command.h"

namespace sessionsim::cli::ops {

/// Keys, Session ID, recovery phrase and swarm position of a 16- or 32-byte seed.
Json identity(const Bytes& seed);
/// The same for the seed a recovery phrase decodes to.
Json identity_from_phrase(const std::string& phrase);
Json mnemonic_encode(const Bytes& bytes, bool checksum);
Json mnemonic_decode(const std::string& phrase);

/// `pubkey_hex`: 64 hex characters, or 66 with a prefix byte (ignored, as the server does).
Json swarm_space(const std::string& pubkey_hex);
/// `what` names the list in errors ("--swarms id"); ids are checked (reserved id, duplicates).
Json swarm_pick(const std::string& pubkey_hex, std::vector<std::uint64_t> swarm_ids,
                const std::string& what = "swarm id");
Json new_swarm_id(std::vector<std::uint64_t> existing, const std::string& what = "swarm id");

/// "aes-gcm" or "xchacha20", else InvalidInput.
onion::EncType enc_type(const std::string& name);
/// Wraps `payload` in one layer per hop; `seed` draws the ephemeral keys reproducibly.
Json onion_build(const std::vector<onion::NodeKeys>& path, const onion::NodeKeys& destination,
                 const Bytes& payload, const std::string& enc_type_name,
                 std::optional<std::uint64_t> seed);
/// Peels the entry hop's request ([len][ciphertext][json]) with the hop's X25519 secret key.
Json onion_peel_entry(const Bytes& x25519_secret, const Bytes& blob);
/// Peels a later hop's layer.
Json onion_peel_layer(const Bytes& x25519_secret, const Bytes& ciphertext,
                      const FixedBytes<32>& ephemeral_key, const std::string& enc_type_name);

/// The storage server's hash; `pubkey_hex` has its prefix (66 hex).
Json message_hash(const std::string& pubkey_hex, int ns, const Bytes& data);
/// Sign-then-seal to a 05-prefixed Session ID; `deterministic`: libsession's ephemeral key.
Json encrypt(const Bytes& sender_seed, const std::string& recipient_session_id,
             const Bytes& plaintext, bool deterministic);
Json decrypt(const Bytes& recipient_seed, const Bytes& ciphertext);

}  // namespace sessionsim::cli::ops
