// sessionsim proto swarm-space | swarm-pick | new-swarm-id: where accounts live.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "models/common/decimal.h"
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_ops.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
void add_swarm_commands(CLI::App& proto, CommandOutput& io) {
    auto pubkey = std::make_shared<std::string>();
    auto* space = proto.add_subcommand(
        "swarm-space", "Position of an account on the 2^64 swarm ring (XOR of 8-byte words)");
    space->add_option("PUBKEY_HEX", *pubkey, "64 hex, or 66 with a prefix byte")->required();
    space->callback([&io, pubkey] { print_json(io, ops::swarm_space(*pubkey)); });

    auto pick_pubkey = std::make_shared<std::string>();
    auto swarms = std::make_shared<std::string>();
    auto* pick = proto.add_subcommand("swarm-pick", "The swarm that stores an account");
    pick->add_option("PUBKEY_HEX", *pick_pubkey, "64 hex, or 66 with a prefix byte")->required();
    pick->add_option("--swarms", *swarms, "swarm ids in use, decimal, comma-separated")->required();
    pick->callback([&io, pick_pubkey, swarms] {
        print_json(io, ops::swarm_pick(*pick_pubkey, parse_u64_list(*swarms, "--swarms id"),
                                       "--swarms id"));
    });

    auto existing = std::make_shared<std::string>();
    auto* fresh = proto.add_subcommand("new-swarm-id",
                                       "Id a new swarm gets: middle of the widest gap on the ring");
    fresh->add_option("--existing", *existing, "swarm ids in use, decimal, comma-separated");
    fresh->callback([&io, existing] {
        print_json(io,
                   ops::new_swarm_id(parse_u64_list(*existing, "--existing id"), "--existing id"));
    });
}

}  // namespace sessionsim::cli
