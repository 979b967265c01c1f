// Recovery phrases as a user might type them: any text.
// Oracle (abort on violation, see fuzz::require): a phrase that decodes names its words by their
// 3-letter prefixes (case-insensitive), and the decoder refuses triplets that overflow 32 bits,
// so encoding the decoded bytes (with the checksum word if the phrase had one) gives a phrase
// with the same word count and the same prefixes, which decodes to the same bytes.
#include <cctype>

#include "fuzz/fuzz_support.h"
#include "models/identity/mnemonic.h"

namespace {

/// The part of a word the decoder reads: its first three letters, lower-cased (ASCII).
std::string prefix_of(std::string_view word) {
    std::string prefix(word.substr(0, sessionsim::identity::mnemonic::kPrefixLength));
    for (char& c : prefix)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return prefix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sessionsim::identity;
    namespace fuzz = sessionsim::fuzz;
    const auto phrase = fuzz::text_of(data, size);
    const auto decoded = fuzz::parsed_or_nullopt([&] { return mnemonic::decode_phrase(phrase); });
    if (!decoded)
        return 0;
    const std::string again = mnemonic::encode_phrase(decoded->bytes, decoded->had_checksum);
    const auto typed = mnemonic::split_words(phrase);
    const auto canonical = mnemonic::split_words(again);
    fuzz::require(typed.size() == canonical.size(), "mnemonic: re-encoding keeps the word count");
    for (std::size_t i = 0; i < typed.size(); ++i) {
        fuzz::require(prefix_of(typed[i]) == prefix_of(canonical[i]),
                      "mnemonic: re-encoding gives the words the phrase named");
    }
    const auto redecoded = mnemonic::decode_phrase(again);
    fuzz::require(
        redecoded.bytes == decoded->bytes && redecoded.had_checksum == decoded->had_checksum,
        "mnemonic: the re-encoded phrase decodes to the same seed");
    return 0;
}
