// sessionsim proto message-hash | encrypt | decrypt: what the storage server names a message,
// and one-to-one sign-then-seal encryption.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "models/common/bytes.h"
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_ops.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
namespace {

void add_message_hash(CLI::App& proto, CommandOutput& io) {
    struct Args {
        std::string pubkey, data_b64;
        int ns = 0;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = proto.add_subcommand("message-hash", "The storage server's hash of a message");
    cmd->add_option("--pubkey", args->pubkey, "account, 66 hex (prefix included)")->required();
    cmd->add_option("--namespace", args->ns, "storage namespace (int16)")
        ->check(CLI::Range(-32768, 32767))
        ->capture_default_str();
    cmd->add_option("--data-b64", args->data_b64, "message bytes, base64")->required();
    cmd->callback([&io, args] {
        print_json(io, ops::message_hash(args->pubkey, args->ns,
                                         base64_arg(args->data_b64, "--data-b64")));
    });
}

void add_encrypt(CLI::App& proto, CommandOutput& io) {
    struct Args {
        std::string sender_seed, recipient, plaintext_b64;
        bool deterministic = false;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = proto.add_subcommand("encrypt", "Sign-then-seal a message to a Session ID");
    cmd->add_option("--sender-seed", args->sender_seed, "sender seed, 16 or 32 bytes hex")
        ->required();
    cmd->add_option("--recipient", args->recipient, "recipient Session ID (05...)")->required();
    cmd->add_option("--plaintext-b64", args->plaintext_b64, "message, base64")->required();
    cmd->add_flag("--deterministic", args->deterministic,
                  "libsession's deterministic ephemeral key (same input, same output)");
    cmd->callback([&io, args] {
        print_json(io, ops::encrypt(from_hex(args->sender_seed, "--sender-seed"), args->recipient,
                                    base64_arg(args->plaintext_b64, "--plaintext-b64"),
                                    args->deterministic));
    });
}

void add_decrypt(CLI::App& proto, CommandOutput& io) {
    struct Args {
        std::string recipient_seed, ciphertext_b64;
    };
    auto args = std::make_shared<Args>();
    auto* cmd =
        proto.add_subcommand("decrypt", "Open a sign-then-seal message and check its sender");
    cmd->add_option("--recipient-seed", args->recipient_seed, "recipient seed, 16 or 32 bytes hex")
        ->required();
    cmd->add_option("--ciphertext-b64", args->ciphertext_b64, "ciphertext, base64")->required();
    cmd->callback([&io, args] {
        print_json(io, ops::decrypt(from_hex(args->recipient_seed, "--recipient-seed"),
                                    base64_arg(args->ciphertext_b64, "--ciphertext-b64")));
    });
}

}  // namespace

void add_message_commands(CLI::App& proto, CommandOutput& io) {
    add_message_hash(proto, io);
    add_encrypt(proto, io);
    add_decrypt(proto, io);
}

}  // namespace sessionsim::cli
