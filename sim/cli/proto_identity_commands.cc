// sessionsim proto identity | mnemonic: keys, Session IDs and recovery phrases.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <string>

#include "models/common/bytes.h"
#include "models/common/errors.h"
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_ops.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
namespace {

void add_identity(CLI::App& proto, CommandOutput& io) {
    auto seed_hex = std::make_shared<std::string>();
    auto phrase = std::make_shared<std::string>();
    auto* cmd = proto.add_subcommand(
        "identity", "Keys and Session ID of a seed: seed -> Ed25519 -> X25519 -> 05-prefixed ID");
    auto* seed_opt = cmd->add_option(
        "SEED_HEX", *seed_hex, "16-byte account seed (32 hex) or 32-byte Ed25519 seed (64 hex)");
    auto* phrase_opt =
        cmd->add_option("--phrase", *phrase, "derive from a recovery phrase instead of hex");
    seed_opt->excludes(phrase_opt);
    cmd->callback([&io, seed_hex, phrase, seed_opt, phrase_opt] {
        if (seed_opt->count() == 0 && phrase_opt->count() == 0) {
            throw InvalidInput("give SEED_HEX or --phrase \"...\"");
        }
        print_json(io, phrase_opt->count() > 0 ? ops::identity_from_phrase(*phrase)
                                               : ops::identity(from_hex(*seed_hex, "SEED_HEX")));
    });
}

void add_mnemonic(CLI::App& proto, CommandOutput& io) {
    auto* cmd = proto.add_subcommand("mnemonic",
                                     "Recovery phrases (1,626-word list, CRC-32 "
                                     "checksum word, 3-letter prefixes)");
    cmd->require_subcommand(1);

    auto hex = std::make_shared<std::string>();
    auto no_checksum = std::make_shared<bool>(false);
    auto* encode = cmd->add_subcommand("encode", "Bytes (a multiple of 4) to words");
    encode->add_option("HEX", *hex, "bytes to encode, e.g. a 16-byte seed")->required();
    encode->add_flag("--no-checksum", *no_checksum, "omit the checksum word");
    encode->callback([&io, hex, no_checksum] {
        const Bytes bytes = from_hex(*hex, "HEX");
        print_json(io, ops::mnemonic_encode(bytes, !*no_checksum));
    });

    auto words = std::make_shared<std::vector<std::string>>();
    auto* decode = cmd->add_subcommand(
        "decode", "Words to bytes, checking the checksum word and rejecting unknown words");
    decode->add_option("PHRASE", *words, "the phrase (quoted, or as separate words)")->required();
    decode->callback([&io, words] {
        std::string phrase;
        for (const auto& w : *words)
            phrase += w + " ";
        print_json(io, ops::mnemonic_decode(phrase));
    });
}

}  // namespace

void add_identity_commands(CLI::App& proto, CommandOutput& io) {
    add_identity(proto, io);
    add_mnemonic(proto, io);
}

}  // namespace sessionsim::cli
