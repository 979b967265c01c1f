// Recovery phrases ("recovery password"): the Electrum/Monero-style 1,626-word encoding that
// Session desktop, libsession and oxen-core share. 4 bytes -> 3 words; an optional checksum word
// repeats the seed word chosen by CRC-32 of the words' 3-letter prefixes. Words match by their
// first 3 letters, case-insensitively, so typos past the third letter are tolerated.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/common/bytes.h"
#include "models/common/errors.h"

namespace sessionsim::identity::mnemonic {

inline constexpr std::uint32_t kWordCount = 1626;
inline constexpr std::size_t kPrefixLength = 3;

/// The English list in index order (abbey = 0 ... zoom = 1625), embedded at build time.
std::span<const std::string_view> english_words();

/// Index of the word whose 3-letter prefix matches `word` (ASCII case-insensitive).
std::optional<std::uint32_t> word_index(std::string_view word);

/// Why a phrase was rejected.
enum class ErrorKind { word_count, unknown_word, invalid_value, checksum };

class MnemonicError : public InvalidInput {
public:
    MnemonicError(ErrorKind kind, const std::string& reason) : InvalidInput(reason), kind_(kind) {}
    ErrorKind kind() const { return kind_; }

private:
    ErrorKind kind_;
};

/// Words for `bytes` (length a multiple of 4): 3 per 4-byte block, plus the checksum word if
/// asked. 16 bytes -> 13 words, 32 bytes -> 25. Throws InvalidInput on a bad length.
std::vector<std::string_view> encode(ByteView bytes, bool with_checksum = true);

/// encode() joined with single spaces.
std::string encode_phrase(ByteView bytes, bool with_checksum = true);

struct Decoded {
    Bytes bytes;
    bool had_checksum = false;
};

/// Decodes 3k words (no checksum) or 3k+1 words (last one is the checksum), as libsession does.
/// Throws MnemonicError naming the word and the reason.
Decoded decode(std::span<const std::string> words);

/// Splits on any whitespace and decodes.
Decoded decode_phrase(std::string_view phrase);

/// Splits a phrase into words on any run of whitespace.
std::vector<std::string> split_words(std::string_view phrase);

}  // namespace sessionsim::identity::mnemonic
