// sessionsim proto onion build | peel: wrap a request in layers, and peel one layer as a hop
// would. Together they show exactly what each hop learns.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "models/common/base64.h"
#include "models/common/errors.h"
#include "models/crypto/random.h"
#include "models/onion/builder.h"
#include "models/onion/combined_payload.h"
#include "models/onion/hop.h"
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
namespace {

using onion::EncType;

EncType enc_type_arg(const std::string& name) {
    const auto type = onion::parse_enc_type(name);
    if (!type)
        throw InvalidInput("--enc-type must be aes-gcm or xchacha20, not '" + name + "'");
    return *type;
}

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

const char* role_of(std::size_t index, std::size_t path_size) {
    if (index == path_size)
        return "destination";
    if (index == 0)
        return "guard";
    return index + 1 == path_size ? "exit" : "middle";
}

Json layers_json(const onion::BuiltOnion& built, const std::vector<onion::NodeKeys>& path,
                 const onion::NodeKeys& destination) {
    Json layers = Json::array();
    for (const auto& layer : built.layers) {
        const std::size_t i = layer.recipient;
        const auto& node = i < path.size() ? path[i] : destination;
        Json sees{{"from", i == 0 ? std::string("the client's IP address")
                                  : "node " + to_hex(path[i - 1].ed25519)},
                  {"ciphertext_bytes", layer.ciphertext.size()},
                  {"ephemeral_key", to_hex(layer.ephemeral_public)}};
        if (i < path.size()) {
            sees["next"] = layer.routing.at("destination");
            sees["learns"] = "only the previous and the next hop";
        } else {
            sees["request_b64"] = to_base64(onion::unpack_combined(layer.plaintext).inner);
            sees["learns"] = "the request (method, account, namespace), not who sent it";
        }
        layers.push_back({{"hop", i + 1},
                          {"role", role_of(i, path.size())},
                          {"node_ed25519", to_hex(node.ed25519)},
                          {"sees", sees}});
    }
    return layers;
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
        cmd->add_option("--seed", args->seed, "draw ephemeral keys from this seed (reproducible)");
    cmd->callback([&io, args, seed] {
        const auto path = hops_arg(args->hops);
        const auto destination = node_keys_arg(args->dest, "--dest");
        const Bytes payload = base64_arg(args->payload_b64, "--payload-b64");
        const EncType type = enc_type_arg(args->enc_type);
        crypto::SeededRandom seeded(args->seed, "proto onion build");
        crypto::SystemRandom system;
        crypto::RandomSource& random =
            seed->count() > 0 ? static_cast<crypto::RandomSource&>(seeded) : system;
        const auto built = onion::build_onion(path, destination, payload, type, random, true);
        print_json(io, Json{{"blob_b64", to_base64(built.entry_body)},
                            {"enc_type", onion::to_string(type)},
                            {"layers", layers_json(built, path, destination)}});
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
        const auto node = crypto::x25519_from_secret(
            crypto::X25519SecretKey::from(from_hex(args->sk, "--x25519-sk")));
        onion::LayerEnvelope layer;
        if (blob->count() > 0) {
            auto parsed = onion::parse_entry_request(base64_arg(args->blob_b64, "--blob-b64"));
            if (auto* err = std::get_if<onion::OnionReply>(&parsed)) {
                throw InvalidInput(std::to_string(err->status) + " " + err->body);
            }
            layer = std::get<onion::LayerEnvelope>(parsed);
        } else if (ct->count() > 0) {
            if (args->ephemeral_key.empty())
                throw InvalidInput("--ciphertext-b64 needs --ephemeral-key");
            layer.ciphertext = base64_arg(args->ciphertext_b64, "--ciphertext-b64");
            layer.ephemeral_key = fixed_from_hex<32>(args->ephemeral_key, "--ephemeral-key");
            layer.enc_type = enc_type_arg(args->enc_type);
        } else {
            throw InvalidInput("give --blob-b64, or --ciphertext-b64 with --ephemeral-key");
        }
        crypto::SystemRandom random;
        const auto action = onion::peel_layer(layer, node, random);
        if (const auto* reply = std::get_if<onion::OnionReply>(&action)) {
            throw InvalidInput(reply->encrypted_error.empty()
                                   ? std::to_string(reply->status) + " " + reply->body
                                   : reply->encrypted_error + " (sent encrypted to the client)");
        }
        if (const auto* fwd = std::get_if<onion::ForwardToNode>(&action)) {
            print_json(io, Json{{"kind", "relay"},
                                {"destination", to_hex(fwd->next)},
                                {"ephemeral_key", to_hex(fwd->layer.ephemeral_key)},
                                {"enc_type", onion::to_string(fwd->layer.enc_type)},
                                {"ciphertext_b64", to_base64(fwd->layer.ciphertext)}});
        } else if (const auto* exec = std::get_if<onion::ExecuteRequest>(&action)) {
            print_json(io, Json{{"kind", "final"},
                                {"payload_b64", to_base64(exec->body)},
                                {"json", Json::parse(onion::routing_json(exec->options).dump())}});
        } else {
            const auto& server = std::get<onion::ForwardToServer>(action);
            print_json(io, Json{{"kind", "server"},
                                {"host", server.server.host},
                                {"target", server.server.target},
                                {"port", server.server.port},
                                {"protocol", server.server.protocol},
                                {"url", server.url},
                                {"payload_b64", to_base64(server.payload)}});
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
