// sessionsim proto onion build | peel: wrap a request in layers, and peel one layer as a hop
// would. Together they show exactly what each hop learns.
#include <CLI/CLI.hpp>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "models/common/errors.h"
#include "sim/cli/options.h"
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_ops.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
namespace {

/// "X25519_PK:ED25519_PK"
onion::NodeKeys node_keys_arg(const std::string& text, const std::string& what) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        throw InvalidInput(what + " must be X25519_PK:ED25519_PK (64 hex each), got '" + text +
                           "'");
    }
    return {fixed_from_hex<32>(text.substr(0, colon), what + " X25519 key"),
            fixed_from_hex<32>(text.substr(colon + 1), what + " Ed25519 key")};
}

std::vector<onion::NodeKeys> hops_arg(const std::string& list) {
    std::vector<onion::NodeKeys> hops;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        const std::string item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        hops.push_back(node_keys_arg(item, "--hops entry " + std::to_string(hops.size() + 1)));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return hops;
}

void add_build(CLI::App& onion_cmd, CommandOutput& io) {
    struct Args {
        std::string hops, dest, payload_b64, enc_type = "xchacha20";
        std::uint64_t seed = 0;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = onion_cmd.add_subcommand("build", "Wrap a payload in one layer per hop");
    cmd->add_option("--hops", args->hops, "path, guard first: X25519_PK:ED25519_PK,...")
        ->required();
    cmd->add_option("--dest", args->dest, "destination node: X25519_PK:ED25519_PK")->required();
    cmd->add_option("--payload-b64", args->payload_b64, "request body, base64")->required();
    cmd->add_option("--enc-type", args->enc_type, "aes-gcm or xchacha20")->capture_default_str();
    auto* seed =
        cmd->add_option("--seed", args->seed, "draw ephemeral keys from this seed (reproducible)")
            ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
    cmd->callback([&io, args, seed] {
        print_json(io,
                   ops::onion_build(hops_arg(args->hops), node_keys_arg(args->dest, "--dest"),
                                    base64_arg(args->payload_b64, "--payload-b64"), args->enc_type,
                                    seed->count() > 0 ? std::optional(args->seed) : std::nullopt));
    });
}

void add_peel(CLI::App& onion_cmd, CommandOutput& io) {
    struct Args {
        std::string sk, blob_b64, ciphertext_b64, ephemeral_key, enc_type = "aes-gcm";
    };
    auto args = std::make_shared<Args>();
    auto* cmd = onion_cmd.add_subcommand("peel", "Peel one layer with a hop's X25519 secret key");
    cmd->add_option("--x25519-sk", args->sk, "the hop's X25519 secret key (64 hex)")->required();
    auto* blob = cmd->add_option("--blob-b64", args->blob_b64, "entry-hop request [len][ct][json]");
    auto* ct = cmd->add_option("--ciphertext-b64", args->ciphertext_b64, "a later hop's layer");
    auto* eph = cmd->add_option("--ephemeral-key", args->ephemeral_key, "with --ciphertext-b64");
    auto* type = cmd->add_option("--enc-type", args->enc_type, "with --ciphertext-b64");
    blob->excludes(ct)->excludes(eph)->excludes(type);
    cmd->callback([&io, args, blob, ct] {
        const Bytes sk = from_hex(args->sk, "--x25519-sk");
        if (blob->count() > 0) {
            print_json(io, ops::onion_peel_entry(sk, base64_arg(args->blob_b64, "--blob-b64")));
        } else if (ct->count() > 0) {
            if (args->ephemeral_key.empty())
                throw InvalidInput("--ciphertext-b64 needs --ephemeral-key");
            print_json(io, ops::onion_peel_layer(
                               sk, base64_arg(args->ciphertext_b64, "--ciphertext-b64"),
                               fixed_from_hex<32>(args->ephemeral_key, "--ephemeral-key"),
                               args->enc_type));
        } else {
            throw InvalidInput("give --blob-b64, or --ciphertext-b64 with --ephemeral-key");
        }
    });
}

}  // namespace

void add_onion_commands(CLI::App& proto, CommandOutput& io) {
    auto* onion_cmd = proto.add_subcommand("onion", "Onion requests: build, and peel one layer");
    onion_cmd->require_subcommand(1);
    add_build(*onion_cmd, io);
    add_peel(*onion_cmd, io);
}

}  // namespace sessionsim::cli
