#include "models/identity/mnemonic.h"

#include <zlib.h>

#include <cctype>
#include <unordered_map>

namespace sessionsim::identity::mnemonic {
namespace {

constexpr std::uint32_t N = kWordCount;

/// Lower-cased first kPrefixLength characters (the list is ASCII; other bytes pass through).
std::string prefix_of(std::string_view word) {
    std::string p(word.substr(0, kPrefixLength));
    for (char& c : p)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return p;
}

const std::unordered_map<std::string, std::uint32_t>& prefix_table() {
    static const auto table = [] {
        std::unordered_map<std::string, std::uint32_t> t;
        const auto words = english_words();
        for (std::uint32_t i = 0; i < words.size(); ++i)
            t.emplace(prefix_of(words[i]), i);
        return t;
    }();
    return table;
}

/// Which seed word the checksum word repeats: CRC-32 (zlib) of the concatenated prefixes,
/// modulo the number of seed words.
template <typename Word>
std::size_t checksum_position(std::span<const Word> seed_words) {
    std::string prefixes;
    for (const auto& w : seed_words)
        prefixes += prefix_of(w);
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(prefixes.data()),
                            static_cast<uInt>(prefixes.size()));
    return static_cast<std::size_t>(crc % seed_words.size());
}

std::uint32_t lookup(std::span<const std::string> words, std::size_t pos) {
    const auto idx = word_index(words[pos]);
    if (!idx) {
        throw MnemonicError(ErrorKind::unknown_word,
                            "unknown word '" + words[pos] + "' at position " +
                                std::to_string(pos + 1) + " (no list word starts with '" +
                                prefix_of(words[pos]) + "')");
    }
    return *idx;
}

}  // namespace

std::optional<std::uint32_t> word_index(std::string_view word) {
    const auto& table = prefix_table();
    const auto it = table.find(prefix_of(word));
    if (it == table.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string_view> encode(ByteView bytes, bool with_checksum) {
    if (bytes.size() % 4 != 0) {
        throw InvalidInput("recovery phrases encode a multiple of 4 bytes; got " +
                           std::to_string(bytes.size()));
    }
    if (bytes.empty())
        throw InvalidInput("nothing to encode: 0 bytes");
    const auto words = english_words();
    std::vector<std::string_view> out;
    out.reserve(bytes.size() / 4 * 3 + 1);
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        // Each block is a little-endian u32 (desktop byte-swaps each 8-hex group to get it).
        const std::uint32_t x = std::uint32_t{bytes[i]} | std::uint32_t{bytes[i + 1]} << 8 |
                                std::uint32_t{bytes[i + 2]} << 16 |
                                std::uint32_t{bytes[i + 3]} << 24;
        const std::uint32_t w1 = x % N;
        const std::uint32_t w2 = (x / N + w1) % N;
        const std::uint32_t w3 = (x / N / N + w2) % N;
        out.push_back(words[w1]);
        out.push_back(words[w2]);
        out.push_back(words[w3]);
    }
    if (with_checksum) {
        out.push_back(out[checksum_position(std::span<const std::string_view>(out))]);
    }
    return out;
}

std::string encode_phrase(ByteView bytes, bool with_checksum) {
    std::string phrase;
    for (const auto& w : encode(bytes, with_checksum)) {
        if (!phrase.empty())
            phrase += ' ';
        phrase += w;
    }
    return phrase;
}

Decoded decode(std::span<const std::string> words) {
    const std::size_t n = words.size();
    if (n == 0)
        throw MnemonicError(ErrorKind::word_count, "recovery phrase is empty");
    const bool has_checksum = n % 3 == 1;
    if (n % 3 == 2 || n == 1) {
        throw MnemonicError(ErrorKind::word_count,
                            "a recovery phrase has 3k words, or 3k+1 with the checksum word "
                            "(13 for a Session account); got " +
                                std::to_string(n) + " words");
    }
    const std::size_t seed_words = has_checksum ? n - 1 : n;
    Decoded result{.bytes = Bytes(seed_words / 3 * 4), .had_checksum = has_checksum};
    for (std::size_t i = 0; i < seed_words; i += 3) {
        const std::uint32_t w1 = lookup(words, i);
        const std::uint32_t w2 = lookup(words, i + 1);
        const std::uint32_t w3 = lookup(words, i + 2);
        // u32 arithmetic on purpose: an overflowing triplet wraps, and the x % N check below is
        // what rejects it (as in every reference implementation).
        const std::uint32_t x = w1 + N * ((N - w1 + w2) % N) + N * N * ((N - w2 + w3) % N);
        if (x % N != w1) {
            throw MnemonicError(ErrorKind::invalid_value,
                                "words " + std::to_string(i + 1) + "-" + std::to_string(i + 3) +
                                    " ('" + words[i] + " " + words[i + 1] + " " + words[i + 2] +
                                    "') do not encode a 32-bit value");
        }
        for (int b = 0; b < 4; ++b) {
            result.bytes[i / 3 * 4 + b] = static_cast<std::uint8_t>(x >> (8 * b));
        }
    }
    if (has_checksum) {
        const auto seed = words.first(seed_words);
        const std::string& expected = seed[checksum_position(seed)];
        const std::uint32_t given = lookup(words, n - 1);
        if (given != *word_index(expected)) {
            throw MnemonicError(ErrorKind::checksum,
                                "checksum word '" + words[n - 1] + "' (word " + std::to_string(n) +
                                    ") does not match the phrase: expected '" +
                                    std::string(english_words()[*word_index(expected)]) + "'");
        }
    }
    return result;
}

Decoded decode_phrase(std::string_view phrase) {
    const auto words = split_words(phrase);
    return decode(words);
}

std::vector<std::string> split_words(std::string_view phrase) {
    std::vector<std::string> words;
    std::string current;
    for (char c : phrase) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!current.empty())
                words.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return words;
}

}  // namespace sessionsim::identity::mnemonic
