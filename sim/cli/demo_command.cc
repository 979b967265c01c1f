// sessionsim demo: the default job until scenarios run on the simulated network. It forms a
// service-node network block by block with oxend's real swarm rules, creates an account, shows
// where its messages live, then removes a share of the nodes at once (a provider outage) and
// shows how the swarms heal. Prints a readable summary and writes a results folder.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <ostream>

#include "models/common/bytes.h"
#include "models/common/errors.h"
#include "models/common/version.h"
#include "models/crypto/ed25519.h"
#include "models/crypto/hash.h"
#include "models/identity/keys.h"
#include "models/identity/mnemonic.h"
#include "models/swarm/assignment.h"
#include "models/swarm/swarm_selection.h"
#include "models/swarm/swarm_space.h"
#include "sim/cli/command.h"
#include "sim/cli/options.h"

namespace sessionsim::cli {
namespace {

struct DemoConfig {
    std::uint64_t seed = 1;
    std::size_t nodes = 2000;
    std::size_t blocks = 40;
    double outage_fraction = 0.10;
    std::string out_dir = "results/demo";
};

/// Deterministic 32 bytes for (run seed, label, index): every key in the demo comes from here,
/// so a seed reproduces the run exactly.
FixedBytes<32> derive(std::uint64_t seed, std::string_view label, std::uint64_t index) {
    FixedBytes<16> input{};
    for (int i = 0; i < 8; ++i) {
        input[i] = static_cast<std::uint8_t>(seed >> (8 * i));
        input[8 + i] = static_cast<std::uint8_t>(index >> (8 * i));
    }
    return crypto::blake2b_256({input, as_bytes(label)});
}

swarm::NodeKey node_key(std::uint64_t seed, std::size_t index) {
    const auto kp =
        crypto::ed25519_from_seed(crypto::Ed25519Seed::from(derive(seed, "snode", index)));
    return kp.public_key;
}

struct SwarmStats {
    std::size_t swarms = 0;
    std::size_t smallest = 0;
    std::size_t largest = 0;
    std::map<std::size_t, std::size_t> size_histogram;  // size -> number of swarms
};

SwarmStats stats_of(const swarm::SwarmMembers& swarms) {
    SwarmStats s;
    s.swarms = swarms.size();
    s.smallest = swarms.empty() ? 0 : SIZE_MAX;
    for (const auto& [id, members] : swarms) {
        s.smallest = std::min(s.smallest, members.size());
        s.largest = std::max(s.largest, members.size());
        ++s.size_histogram[members.size()];
    }
    return s;
}

Json stats_json(const SwarmStats& s) {
    Json hist = Json::object();
    for (const auto& [size, count] : s.size_histogram)
        hist[std::to_string(size)] = count;
    return Json{{"swarms", s.swarms},
                {"smallest_swarm", s.smallest},
                {"largest_swarm", s.largest},
                {"swarms_by_size", hist}};
}

Json report_json(const swarm::RebalanceReport& r) {
    return Json{{"nodes_placed", r.nodes_placed},
                {"nodes_stolen", r.nodes_stolen},
                {"swarms_created", r.swarms_created},
                {"swarms_dissolved", r.swarms_dissolved}};
}

class Demo {
public:
    explicit Demo(const DemoConfig& config) : config_(config) {}

    Json run(std::ostream& out) {
        Json summary;
        summary["formation"] = form_network(out);
        summary["account"] = place_account(out);
        summary["outage"] = outage(out);
        return summary;
    }

    const std::vector<std::tuple<std::string, swarm::SwarmId, std::size_t>>& size_rows() const {
        return size_rows_;
    }

private:
    FixedBytes<32> next_block_hash() {
        block_hash_ = crypto::blake2b_256({block_hash_, as_bytes("block")});
        ++height_;
        return block_hash_;
    }

    swarm::RebalanceReport apply_block() {
        return swarm::rebalance_assignment(nodes_, swarm::rebalance_seed(next_block_hash()));
    }

    void record_sizes(const std::string& phase) {
        for (const auto& [id, members] : swarm::members_by_swarm(nodes_)) {
            size_rows_.emplace_back(phase, id, members.size());
        }
    }

    Json form_network(std::ostream& out) {
        swarm::RebalanceReport total;
        std::size_t registered = 0;
        for (std::size_t b = 0; b < config_.blocks; ++b) {
            const std::size_t target = config_.nodes * (b + 1) / config_.blocks;
            for (; registered < target; ++registered) {
                nodes_[node_key(config_.seed, registered)] = swarm::kUnassignedSwarmId;
            }
            const auto r = apply_block();
            total.nodes_placed += r.nodes_placed;
            total.nodes_stolen += r.nodes_stolen;
            total.swarms_created += r.swarms_created;
            total.swarms_dissolved += r.swarms_dissolved;
        }
        const auto stats = stats_of(swarm::members_by_swarm(nodes_));
        const std::size_t expected =
            1 +
            (config_.nodes > swarm::kIdealSwarmSize ? config_.nodes - swarm::kIdealSwarmSize : 0) /
                swarm::kIdealSwarmSize;
        record_sizes("formed");
        out << "Network formation: " << config_.nodes << " service nodes registered over "
            << config_.blocks << " blocks (2-minute blocks, oxend's rebalancing each block)\n"
            << "  swarms: " << stats.swarms << " (oxend's rule for registrations only: " << expected
            << ")\n"
            << "  swarm sizes: " << stats.smallest << ".." << stats.largest << "; by size:";
        for (const auto& [size, count] : stats.size_histogram)
            out << ' ' << size << "x" << count;
        out << "\n  swarms created from excess: " << total.swarms_created
            << ", nodes stolen by starving swarms: " << total.nodes_stolen << "\n\n";
        Json j = stats_json(stats);
        j["nodes"] = config_.nodes;
        j["blocks"] = config_.blocks;
        j["expected_swarms_registration_only"] = expected;
        j["rebalancing"] = report_json(total);
        return j;
    }

    Json place_account(std::ostream& out) {
        const auto account_seed = derive(config_.seed, "account", 0);
        const auto seed16 = identity::AccountSeed::from(ByteView(account_seed).first(16));
        const auto id = identity::Identity::from_account_seed(seed16);
        account_space_ = swarm::swarm_space(id.x25519().public_key);
        const auto ids = swarm::swarm_ids(nodes_);
        account_swarm_ = swarm::closest_swarm(ids, account_space_);
        const auto members = swarm::members_by_swarm(nodes_).at(account_swarm_);
        const std::string phrase = identity::mnemonic::encode_phrase(seed16.view());
        out << "An account\n"
            << "  Session ID:      " << id.session_id().to_hex() << "\n"
            << "  recovery phrase: " << phrase << "\n"
            << "  swarm space:     " << account_space_ << " -> swarm " << account_swarm_ << " ("
            << members.size() << " nodes hold its messages)\n\n";
        return Json{{"session_id", id.session_id().to_hex()},
                    {"phrase", phrase},
                    {"swarm_space", std::to_string(account_space_)},
                    {"swarm_id", std::to_string(account_swarm_)},
                    {"swarm_size", members.size()}};
    }

    Json outage(std::ostream& out) {
        const auto before = nodes_;
        const std::size_t failing =
            static_cast<std::size_t>(config_.outage_fraction * static_cast<double>(nodes_.size()));
        // The failing nodes: those whose keys hash lowest under this run's seed, i.e. an
        // arbitrary but reproducible share of the network (one provider's machines, say).
        std::vector<std::pair<FixedBytes<32>, swarm::NodeKey>> order;
        for (const auto& [key, swarm_id] : nodes_) {
            order.emplace_back(crypto::blake2b_256({key, derive(config_.seed, "outage", 0)}), key);
        }
        std::sort(order.begin(), order.end());
        for (std::size_t i = 0; i < failing; ++i)
            nodes_.erase(order[i].second);

        const auto swarms_hit = [&] {
            std::map<swarm::SwarmId, std::size_t> lost;
            for (std::size_t i = 0; i < failing; ++i)
                ++lost[before.at(order[i].second)];
            return lost;
        }();
        const auto report = apply_block();
        std::size_t moved = 0;
        for (const auto& [key, swarm_id] : nodes_)
            moved += before.at(key) != swarm_id ? 1 : 0;
        const auto stats = stats_of(swarm::members_by_swarm(nodes_));
        const auto new_swarm = swarm::closest_swarm(swarm::swarm_ids(nodes_), account_space_);
        record_sizes("after_outage");

        out << "Outage: " << failing << " nodes (" << config_.outage_fraction * 100
            << "%) leave in one block\n"
            << "  swarms that lost members: " << swarms_hit.size() << " of "
            << stats_of(swarm::members_by_swarm(before)).swarms << "\n"
            << "  rebalance: " << report.nodes_stolen << " nodes stolen, "
            << report.swarms_dissolved << " swarms dissolved, " << report.swarms_created
            << " created; " << moved << " surviving nodes changed swarm\n"
            << "  swarms now: " << stats.swarms << ", sizes " << stats.smallest << ".."
            << stats.largest << "\n"
            << "  the account's swarm: " << account_swarm_ << " -> " << new_swarm
            << (new_swarm == account_swarm_ ? " (unchanged)" : " (moved: messages must follow)")
            << "\n\n";
        Json j = stats_json(stats);
        j["nodes_failed"] = failing;
        j["swarms_that_lost_members"] = swarms_hit.size();
        j["surviving_nodes_that_changed_swarm"] = moved;
        j["rebalancing"] = report_json(report);
        j["account_swarm_after"] = std::to_string(new_swarm);
        return j;
    }

    DemoConfig config_;
    swarm::SwarmAssignment nodes_;
    FixedBytes<32> block_hash_{};
    std::uint64_t height_ = 0;
    std::uint64_t account_space_ = 0;
    swarm::SwarmId account_swarm_ = 0;
    std::vector<std::tuple<std::string, swarm::SwarmId, std::size_t>> size_rows_;
};

Json config_json(const DemoConfig& c) {
    return Json{{"seed", c.seed},
                {"nodes", c.nodes},
                {"blocks", c.blocks},
                {"outage_fraction", c.outage_fraction}};
}

void write_results(const DemoConfig& config, const Demo& demo, const Json& summary) {
    namespace fs = std::filesystem;
    const fs::path dir(config.out_dir);

    const Json provenance{{"program", "sessionsim demo"},
                          {"version", std::string(version())},
                          {"seed", config.seed},
                          {"config", config_json(config)}};
    Json full = provenance;
    full["results"] = summary;
    std::ofstream(dir / "summary.json") << full.dump(2) << '\n';
    std::ofstream(dir / "provenance.json") << provenance.dump(2) << '\n';
    std::ofstream csv(dir / "swarm_sizes.csv");
    csv << "phase,swarm_id,size\n";
    for (const auto& [phase, id, size] : demo.size_rows()) {
        csv << phase << ',' << id << ',' << size << '\n';
    }
    if (!csv)
        throw InvalidInput("cannot write results into " + dir.string());
}

}  // namespace

void add_demo_command(CLI::App& app, CommandOutput& io) {
    auto config = std::make_shared<DemoConfig>();
    auto* cmd = app.add_subcommand(
        "demo",
        "Form a service-node network with oxend's swarm rules, place an account, and "
        "watch the swarms heal after an outage");
    cmd->add_option("--seed", config->seed, "run seed (same seed, same results)")
        ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
        ->capture_default_str();
    cmd->add_option("--nodes", config->nodes, "service nodes to register")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
        ->capture_default_str();
    cmd->add_option("--blocks", config->blocks, "blocks over which they register")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
        ->capture_default_str();
    cmd->add_option("--outage", config->outage_fraction, "share of nodes that fail at once")
        ->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    cmd->add_option("--out", config->out_dir, "results folder")->capture_default_str();
    cmd->callback([&io, config] {
        const auto started = std::chrono::steady_clock::now();
        prepare_output_folder(config->out_dir, "--out");
        io.out << "sessionsim " << version() << " demo (seed " << config->seed << ")\n\n";
        Demo demo(*config);
        const Json summary = demo.run(io.out);
        write_results(*config, demo, summary);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        io.out << "Results: " << config->out_dir
               << "/{summary.json,swarm_sizes.csv,provenance.json} (" << seconds << " s)\n";
    });
}

}  // namespace sessionsim::cli
