#include "models/attachment/attachment.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

#include <sodium/crypto_core_hchacha20.h>
#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/crypto_secretstream_xchacha20poly1305.h>
#include <sodium/utils.h>

#include "models/common/errors.h"

namespace sessionsim::attachment {

namespace {

constexpr std::size_t kChunkTotal = kChunkSize + kChunkOverhead;
constexpr char kPersonal[16] = {'S', 'e', 's', 's', 'i', 'o', 'n', 'A',
                                't', 't', 'a', 'c', 'h', 'm', 'n', 't'};

[[noreturn]] void fail(const std::string& why) {
    throw InvalidInput("Attachment decryption failed: " + why);
}

/// libsodium's init_push with the nonce given instead of drawn (libsession does the same so the
/// output is deterministic): subkey = HChaCha20(key, nonce[0..16]), counter 1, inonce
/// nonce[16..24].
crypto_secretstream_xchacha20poly1305_state init_push(const std::uint8_t* nonce,
                                                      const std::uint8_t* key) {
    crypto_secretstream_xchacha20poly1305_state st{};
    crypto_core_hchacha20(st.k, nonce, key, nullptr);
    std::memset(st.nonce, 0, sizeof st.nonce);
    st.nonce[0] = 1;
    std::memcpy(st.nonce + 4, nonce + crypto_core_hchacha20_INPUTBYTES, 8);
    return st;
}

}  // namespace

std::size_t encrypted_padding(std::size_t data_size) {
    constexpr std::size_t prefix = 1 + kHeaderSize;
    constexpr std::size_t min_padding = 1;
    const std::size_t chunks = (data_size + kChunkSize - 1) / kChunkSize;
    const std::size_t enc = data_size + prefix + min_padding + chunks * kChunkOverhead;
    const std::size_t factor = std::bit_floor(std::max<std::size_t>(enc, 131072)) >> 5;
    const std::size_t padded = (enc + factor - 1) / factor * factor;
    std::size_t padding = padded - enc + min_padding;
    // Padding that spills into new stream chunks brings their tags along: count those tags as
    // part of the padding.
    std::size_t implicit = 0;
    if (padding >= kChunkTotal)
        implicit = padding / kChunkTotal * kChunkOverhead;
    const std::size_t free_padding = chunks * kChunkSize - data_size;
    if (padding % kChunkTotal > free_padding)
        implicit += kChunkOverhead;
    return padding - implicit;
}

std::size_t encrypted_size(std::size_t data_size) {
    const std::size_t padded = data_size + encrypted_padding(data_size);
    return 1 + kHeaderSize + padded + (padded + kChunkSize - 1) / kChunkSize * kChunkOverhead;
}

Encrypted encrypt(const crypto::Ed25519Seed& uploader_seed, ByteView file) {
    if (file.size() > kMaxRegularSize)
        throw InvalidInput("data to encrypt is too large");
    std::uint8_t nonce_key[kHeaderSize + kKeySize];
    crypto_generichash_blake2b_state h;
    crypto_generichash_blake2b_init_salt_personal(&h, uploader_seed.data(), 32, sizeof nonce_key,
                                                  nullptr,
                                                  reinterpret_cast<const std::uint8_t*>(kPersonal));
    crypto_generichash_blake2b_update(&h, file.data(), file.size());
    crypto_generichash_blake2b_final(&h, nonce_key, sizeof nonce_key);

    Encrypted out;
    std::copy_n(nonce_key + kHeaderSize, kKeySize, out.key.begin());
    auto st = init_push(nonce_key, out.key.data());

    // The plaintext stream: padding (zeros then 0x01), then the file.
    Bytes stream(encrypted_padding(file.size()), 0);
    stream.back() = 0x01;
    stream.insert(stream.end(), file.begin(), file.end());

    out.data.reserve(encrypted_size(file.size()));
    out.data.push_back('S');
    out.data.insert(out.data.end(), nonce_key, nonce_key + kHeaderSize);
    std::uint8_t chunk[kChunkTotal];
    for (std::size_t pos = 0; pos < stream.size(); pos += kChunkSize) {
        const std::size_t n = std::min(kChunkSize, stream.size() - pos);
        const bool last = pos + n == stream.size();
        unsigned long long len = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &st, chunk, &len, stream.data() + pos, n, nullptr, 0,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        out.data.insert(out.data.end(), chunk, chunk + len);
    }
    sodium_memzero(nonce_key, sizeof nonce_key);
    return out;
}

Bytes decrypt(ByteView encrypted, const FixedBytes<kKeySize>& key) {
    if (encrypted.size() < 1 + kHeaderSize + kChunkOverhead + 1)
        fail("encrypted data too short");
    if (encrypted[0] != 'S') {
        char hex[5];
        std::snprintf(hex, sizeof hex, "0x%02x", encrypted[0]);
        fail(std::string("unknown encryption type ") + hex + "; expected 0x53 (S)");
    }
    crypto_secretstream_xchacha20poly1305_state st;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, encrypted.data() + 1, key.data()) != 0)
        fail("invalid header");
    Bytes stream;
    std::size_t pos = 1 + kHeaderSize;
    bool final = false;
    std::uint8_t chunk[kChunkSize];
    while (!final) {
        if (pos + kChunkOverhead >= encrypted.size())
            fail("data ended before end of stream");
        const std::size_t n = std::min(kChunkSize, encrypted.size() - pos - kChunkOverhead);
        unsigned char tag = 0;
        unsigned long long len = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, chunk, &len, &tag,
                                                       encrypted.data() + pos, n + kChunkOverhead,
                                                       nullptr, 0) != 0)
            fail("invalid key or corrupted data");
        stream.insert(stream.end(), chunk, chunk + len);
        pos += n + kChunkOverhead;
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (final && pos != encrypted.size())
            fail("FINAL tag before end of the encrypted data");
        if (!final && pos == encrypted.size())
            fail("end of data without FINAL tag");
    }
    const auto start = std::find_if(stream.begin(), stream.end(), [](auto b) { return b != 0; });
    if (start == stream.end())
        fail("data ended in the middle of padding");
    if (*start != 0x01)
        fail("invalid padding");
    return Bytes(start + 1, stream.end());
}

}  // namespace sessionsim::attachment
