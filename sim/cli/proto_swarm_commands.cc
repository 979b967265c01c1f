// sessionsim proto swarm-space | swarm-pick | new-swarm-id: where accounts live.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
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
#include "sim/cli/proto_commands.h"
#include "sim/cli/proto_util.h"

namespace sessionsim::cli {
namespace {

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

}  // namespace

void add_swarm_commands(CLI::App& proto, CommandOutput& io) {
    auto pubkey = std::make_shared<std::string>();
    auto* space = proto.add_subcommand(
        "swarm-space", "Position of an account on the 2^64 swarm ring (XOR of 8-byte words)");
    space->add_option("PUBKEY_HEX", *pubkey, "64 hex, or 66 with a prefix byte")->required();
    space->callback([&io, pubkey] {
        print_json(io,
                   Json{{"swarm_space", std::to_string(swarm::swarm_space(raw_pubkey(*pubkey)))}});
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
        print_json(io, Json{{"swarm_id", std::to_string(chosen)}});
    });

    auto existing = std::make_shared<std::string>();
    auto* fresh = proto.add_subcommand("new-swarm-id",
                                       "Id a new swarm gets: middle of the widest gap on the ring");
    fresh->add_option("--existing", *existing, "swarm ids in use, decimal, comma-separated");
    fresh->callback([&io, existing] {
        const auto ids = parse_swarm_ids(*existing, "--existing id");
        print_json(io, Json{{"swarm_id", std::to_string(swarm::new_swarm_id(ids))}});
    });
}

}  // namespace sessionsim::cli
