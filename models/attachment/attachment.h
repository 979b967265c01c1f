// Attachment encryption, libsession's current format (session/attachments.hpp), sans-I/O:
//   nonce||key = BLAKE2b-56(file, key = uploader's 32-byte seed, personal "SessionAttachmnt")
//   out        = 'S' || header(24 = nonce) || secretstream-xchacha20poly1305 chunks
// The stream carries leading padding (zeros, then 0x01) and then the file, in 32 KiB chunks of
// 17 bytes overhead each, the last tagged FINAL. Padding rounds the encrypted size up to a
// multiple of max(131072, size)'s highest power of two / 32, so sizes leak only coarsely. Key
// and nonce depend only on the uploader and the file: the same file uploads to the same bytes.
#pragma once

#include <cstddef>
#include <optional>

#include "models/common/bytes.h"
#include "models/crypto/ed25519.h"

namespace sessionsim::attachment {

inline constexpr std::size_t kChunkSize = 32768;
inline constexpr std::size_t kChunkOverhead = 17;
inline constexpr std::size_t kHeaderSize = 24;
inline constexpr std::size_t kKeySize = 32;
/// MAX_REGULAR_SIZE: the largest file encrypted without allow_large.
inline constexpr std::size_t kMaxRegularSize = 10'218'286;
/// MAX_ATTACHMENT_FILESIZE_BYTES: what the apps let a user attach ("10MB precisely").
inline constexpr std::size_t kMaxAttachmentBytes = 10'000'000;

std::size_t encrypted_padding(std::size_t data_size);
std::size_t encrypted_size(std::size_t data_size);

struct Encrypted {
    Bytes data;                ///< what is uploaded
    FixedBytes<kKeySize> key;  ///< sent to recipients inside the message
};

/// Throws InvalidInput if the file exceeds kMaxRegularSize.
Encrypted encrypt(const crypto::Ed25519Seed& uploader_seed, ByteView file);

/// Throws InvalidInput with libsession's reason ("Attachment decryption failed: ...").
Bytes decrypt(ByteView encrypted, const FixedBytes<kKeySize>& key);

}  // namespace sessionsim::attachment
