// sessionsim proto ...: inspect what the protocol does with given inputs. Each subcommand prints
// exactly one JSON object; bad input raises InvalidInput, which run_cli turns into exit 2.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include "models/common/bytes.h"
#include "models/common/decimal.h"
#include "models/common/errors.h"
#include "models/identity/account_id.h"
#include "models/identity/keys.h"
#include "models/identity/mnemonic.h"
#include "models/swarm/new_swarm_id.h"
#include "models/swarm/swarm_selection.h"
#include "models/swarm/swarm_space.h"
#include "sim/cli/command.h"

namespace sessionsim::cli {
namespace {

namespace mnemonic = identity::mnemonic;

void print(CommandOutput& io, const Json& result) {
    io.out << result.dump(2) << '\n';
}

/// The raw 32 key bytes of a 64- or 66-hex-character pubkey (the prefix byte is ignored, as the
/// storage server ignores it for swarm mapping).
FixedBytes<32> raw_pubkey(const std::string& hex) {
    return identity::AccountId::parse_with_optional_prefix(hex).second;
}

/// A set of swarm ids given as "ID,ID,...": sorted, with duplicates and the reserved id refused.
std::vector<swarm::SwarmId> parse_swarm_ids(const std::string& list, std::string_view what) {
    std::vector<swarm::SwarmId> ids = parse_u64_list(list, what);
    for (const auto id : ids) {
        if (id == swarm::kUnassignedSwarmId) {
            throw InvalidInput(std::string(what) + " " + std::to_string(id) +
                               " is the reserved 'unassigned' id (2^64-1), never a real swarm");
        }
    }
    std::sort(ids.begin(), ids.end());
    if (const auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end()) {
        throw InvalidInput(std::string(what) + " " + std::to_string(*dup) + " is listed twice");
    }
    return ids;
}

identity::Identity identity_from_seed_bytes(const Bytes& seed) {
    if (seed.size() == 16) {
        return identity::Identity::from_account_seed(identity::AccountSeed::from(seed));
    }
    if (seed.size() == 32) {
        return identity::Identity::from_ed25519_seed(crypto::Ed25519Seed::from(seed));
    }
    throw InvalidInput(
        "an identity seed is 16 bytes (32 hex characters, 13-word phrase) or 32 "
        "bytes (64 hex characters, 25-word phrase); got " +
        std::to_string(seed.size()) + " bytes");
}

/// The phrase the app shows: 13 words for a padded 16-byte seed, else 25 words for all 32.
std::string recovery_phrase(const identity::Identity& id) {
    const auto seed = id.ed25519_seed().view();
    return mnemonic::encode_phrase(id.has_short_seed() ? seed.first(16) : ByteView(seed));
}

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
        const Bytes seed = phrase_opt->count() > 0 ? mnemonic::decode_phrase(*phrase).bytes
                                                   : from_hex(*seed_hex, "SEED_HEX");
        const auto id = identity_from_seed_bytes(seed);
        print(io,
              Json{{"seed", to_hex(seed)},
                   {"ed25519_pk", to_hex(id.ed25519().public_key)},
                   {"x25519_pk", to_hex(id.x25519().public_key)},
                   {"session_id", id.session_id().to_hex()},
                   {"phrase", recovery_phrase(id)},
                   {"swarm_space", std::to_string(swarm::swarm_space(id.x25519().public_key))}});
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
        print(io, Json{{"phrase", mnemonic::encode_phrase(bytes, !*no_checksum)}});
    });

    auto words = std::make_shared<std::vector<std::string>>();
    auto* decode = cmd->add_subcommand(
        "decode", "Words to bytes, checking the checksum word and rejecting unknown words");
    decode->add_option("PHRASE", *words, "the phrase (quoted, or as separate words)")->required();
    decode->callback([&io, words] {
        std::string phrase;
        for (const auto& w : *words)
            phrase += w + " ";
        const auto decoded = mnemonic::decode_phrase(phrase);
        print(io, Json{{"seed", to_hex(decoded.bytes)}, {"checksum", decoded.had_checksum}});
    });
}

void add_swarm_commands(CLI::App& proto, CommandOutput& io) {
    auto pubkey = std::make_shared<std::string>();
    auto* space = proto.add_subcommand(
        "swarm-space", "Position of an account on the 2^64 swarm ring (XOR of 8-byte words)");
    space->add_option("PUBKEY_HEX", *pubkey, "64 hex, or 66 with a prefix byte")->required();
    space->callback([&io, pubkey] {
        print(io, Json{{"swarm_space", std::to_string(swarm::swarm_space(raw_pubkey(*pubkey)))}});
    });

    auto pick_pubkey = std::make_shared<std::string>();
    auto swarms = std::make_shared<std::string>();
    auto* pick = proto.add_subcommand("swarm-pick", "The swarm that stores an account");
    pick->add_option("PUBKEY_HEX", *pick_pubkey, "64 hex, or 66 with a prefix byte")->required();
    pick->add_option("--swarms", *swarms, "swarm ids in use, decimal, comma-separated")->required();
    pick->callback([&io, pick_pubkey, swarms] {
        const auto key = raw_pubkey(*pick_pubkey);
        const auto ids = parse_swarm_ids(*swarms, "--swarms id");
        if (ids.empty())
            throw InvalidInput("--swarms lists no swarm ids");
        const auto chosen = swarm::closest_swarm(ids, swarm::swarm_space(key));
        print(io, Json{{"swarm_id", std::to_string(chosen)}});
    });

    auto existing = std::make_shared<std::string>();
    auto* fresh = proto.add_subcommand("new-swarm-id",
                                       "Id a new swarm gets: middle of the widest gap on the ring");
    fresh->add_option("--existing", *existing, "swarm ids in use, decimal, comma-separated");
    fresh->callback([&io, existing] {
        const auto ids = parse_swarm_ids(*existing, "--existing id");
        print(io, Json{{"swarm_id", std::to_string(swarm::new_swarm_id(ids))}});
    });
}

}  // namespace

void add_proto_commands(CLI::App& app, CommandOutput& io) {
    auto* proto = app.add_subcommand(
        "proto", "Protocol toolbox: each subcommand prints one JSON object (exit 2 on bad input)");
    proto->require_subcommand(1);
    add_identity(*proto, io);
    add_mnemonic(*proto, io);
    add_swarm_commands(*proto, io);
}

}  // namespace sessionsim::cli
