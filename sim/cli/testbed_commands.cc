// sessionsim testbed registry|up|down | sessionsim node: the testbed's real processes (testbed/).
//
//   sessionsim testbed registry --nodes 12 --seed 1 --out tb/registry.json
//   sessionsim node --registry tb/registry.json --index 0 --db tb/node0.db
//   sessionsim testbed up --nodes 12 --dir tb      (registry + every node, in the background)
//   sessionsim testbed down --dir tb
//
// A node serves until SIGINT or SIGTERM, then exits 0 with its database closed cleanly (a kill -9
// loses nothing it acknowledged either: every change is written through).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>

#include "sim/cli/command.h"
#include "sim/cli/options.h"
#include "testbed/launcher.h"
#include "testbed/node_daemon.h"
#include "testbed/scenario_plan.h"
#include "testbed/wan_emulator.h"
#include "testbed/workload.h"

namespace sessionsim::cli {

namespace {

namespace fs = std::filesystem;

struct RegistryArgs {
    std::size_t nodes = 12;
    std::uint64_t seed = 1;
    std::uint16_t port = 22021;
    std::string out = "testbed/registry.json";
};

struct NodeArgs {
    std::string registry;
    std::size_t index = 0;
    std::string db;
};

struct UpArgs {
    RegistryArgs registry;
    std::string dir = "testbed-run";
    std::string scenario;
    bool netns = false;
    std::string shared_dir = SESSIONSIM_DEFAULT_SHARED_DIR;
};

void bring_up(const UpArgs& args, CommandOutput& io) {
    if (args.netns && args.scenario.empty())
        throw InvalidInput("--netns needs --scenario: the delays come from its latency model");
    if (args.netns) {
        if (const auto why = testbed::netns_unavailable_reason(); !why.empty())
            throw InvalidInput("--netns: " + why);
    }
    testbed::TestbedPlan plan;
    if (args.scenario.empty()) {
        plan.registry =
            testbed::Registry::make(args.registry.nodes, args.registry.seed, args.registry.port);
    } else {
        plan = testbed::plan_testbed(scenario::Scenario::load(args.scenario), args.shared_dir,
                                     args.registry.port,
                                     args.netns ? testbed::netns_prefix_for(args.dir) : "");
    }
    const auto& registry = plan.registry;
    fs::create_directories(args.dir);
    if (args.netns) {
        testbed::write_delays_csv(registry, plan.rtt_ms,
                                  (fs::path(args.dir) / "delays.csv").string());
        registry.save((fs::path(args.dir) / "registry.json").string());
        try {
            testbed::create_namespaces(registry, (fs::path(args.dir) / "netns.log").string());
            testbed::launch_wan(args.dir, std::chrono::seconds(30));
        } catch (...) {
            testbed::stop_network(args.dir);
            throw;
        }
    }
    const auto nodes = testbed::launch_nodes(registry, args.dir, std::chrono::seconds(30));
    io.out << "testbed up: " << nodes.size() << " nodes in " << registry.swarm_view()->ids().size()
           << " swarms";
    if (args.netns)
        io.out << ", each in its own network namespace (" << registry.netns << "*), "
               << registry.clients.size() << " client addresses in " << registry.netns
               << "c, every packet delayed by the WAN emulator as the scenario's latency model "
                  "says ("
               << args.dir << "/delays.csv)";
    io.out << "; registry " << args.dir
           << "/registry.json; stop with: sessionsim testbed down --dir " << args.dir << '\n';
}

int run_wan(const std::string& dir, CommandOutput& io) {
    const auto registry = testbed::Registry::load((fs::path(dir) / "registry.json").string());
    auto rtt = testbed::read_delays_csv(registry, (fs::path(dir) / "delays.csv").string());
    boost::asio::io_context context;
    testbed::WanEmulator wan(context, registry, std::move(rtt),
                             (fs::path(dir) / "netns.log").string());
    std::ofstream(fs::path(dir) / "wan.ready") << "ready\n";
    io.out << "sessionsim testbed wan: " << registry.nodes.size() << " node namespaces and "
           << registry.clients.size() << " client addresses, delays from " << dir << "/delays.csv"
           << std::endl;
    boost::asio::signal_set stop(context, SIGINT, SIGTERM);
    stop.async_wait([&](const boost::system::error_code&, int) { context.stop(); });
    context.run();
    io.out << "sessionsim testbed wan: stopped; " << wan.counters().delivered
           << " packets delivered, " << wan.counters().dropped << " dropped" << std::endl;
    const auto& c = wan.counters();
    io.out << "sessionsim testbed wan: packets left late by over 1 ms: " << c.late_over_1ms
           << ", over 5 ms: " << c.late_over_5ms << "; mean lateness "
           << (c.delivered ? c.lateness_sum_us / c.delivered : 0) << " us, largest "
           << c.lateness_max_us << " us" << std::endl;
    return 0;
}

int run_node(const NodeArgs& args, CommandOutput& io) {
    const auto registry = testbed::Registry::load(args.registry);
    boost::asio::io_context context;
    testbed::NodeDaemon daemon(context, registry, args.index, args.db);
    const auto& contact = registry.nodes[args.index].contact;
    io.out << "sessionsim node " << args.index << " (" << to_hex(contact.ed25519) << ") on "
           << storage::ipv4_string(contact.ipv4) << ':' << daemon.port() << ", "
           << daemon.loaded_messages() << " messages loaded from " << args.db << std::endl;
    boost::asio::signal_set stop(context, SIGINT, SIGTERM);
    stop.async_wait([&](const boost::system::error_code&, int) { context.stop(); });
    context.run();
    io.out << "sessionsim node " << args.index << ": stopped, " << daemon.node().store().size()
           << " messages stored, " << daemon.peer_connections_opened()
           << " connections to peers opened" << std::endl;
    return 0;
}

}  // namespace

void add_testbed_commands(CLI::App& app, CommandOutput& io) {
    auto* testbed =
        app.add_subcommand("testbed", "The testbed: the protocol code as real processes");
    testbed->require_subcommand(1);
    auto registry_args = std::make_shared<RegistryArgs>();
    auto* registry = testbed->add_subcommand(
        "registry",
        "Write the node list (keys, loopback addresses, swarms) nodes and clients read");
    registry->add_option("--nodes", registry_args->nodes, "service nodes")->capture_default_str();
    registry->add_option("--seed", registry_args->seed, "key seed")
        ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
        ->capture_default_str();
    registry
        ->add_option("--port", registry_args->port, "every node's port (each has its own address)")
        ->capture_default_str();
    registry->add_option("--out", registry_args->out, "registry file")->capture_default_str();
    registry->callback([registry_args, &io] {
        const auto r =
            testbed::Registry::make(registry_args->nodes, registry_args->seed, registry_args->port);
        r.save(registry_args->out);
        io.out << registry_args->out << ": " << r.nodes.size() << " nodes in "
               << r.swarm_view()->ids().size() << " swarms\n";
    });

    auto up_args = std::make_shared<UpArgs>();
    auto* up = testbed->add_subcommand(
        "up",
        "Start a testbed: registry and every node, in the background (on loopback, or "
        "in network namespaces with the scenario's delays)");
    up->add_option("--nodes", up_args->registry.nodes, "service nodes (without --scenario)")
        ->capture_default_str();
    up->add_option("--seed", up_args->registry.seed, "key seed (without --scenario)")
        ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
        ->capture_default_str();
    up->add_option("--port", up_args->registry.port, "every node's port")->capture_default_str();
    up->add_option("--dir", up_args->dir, "folder for registry, logs, databases and pids")
        ->capture_default_str();
    up->add_option("--scenario", up_args->scenario,
                   "lay the testbed out as the simulator would this scenario: its nodes, keys, "
                   "locations and (with --netns) clients and delays");
    up->add_flag("--netns", up_args->netns,
                 "each node in its own network namespace, clients in another, a WAN emulator "
                 "delaying every pair as the scenario's latency model says (root; needs "
                 "--scenario)");
    up->add_option("--shared-dir", up_args->shared_dir, "folder holding data/ (measured latencies)")
        ->capture_default_str();
    up->callback([up_args, &io] { bring_up(*up_args, io); });
    auto down_dir = std::make_shared<std::string>("testbed-run");
    auto* down = testbed->add_subcommand("down", "Stop a testbed started with up");
    down->add_option("--dir", *down_dir, "the folder given to up")->capture_default_str();
    down->callback([down_dir, &io] {
        const auto stopped = testbed::stop_nodes(*down_dir, std::chrono::seconds(5));
        io.out << "testbed down: " << stopped << " nodes stopped\n";
    });

    auto wan_dir = std::make_shared<std::string>();
    auto* wan = testbed->add_subcommand(
        "wan", "The namespace testbed's WAN emulator (started by up --netns; runs until stopped)");
    wan->add_option("--dir", *wan_dir, "the folder given to up")->required();
    wan->callback([wan_dir, &io] {
        if (const int rc = run_wan(*wan_dir, io); rc != 0)
            throw CLI::RuntimeError(rc);
    });

    auto run_args = std::make_shared<testbed::WorkloadArgs>();
    auto* run = testbed->add_subcommand(
        "run", "Run a workload of real clients against a testbed started with up");
    run->add_option("--dir", run_args->dir, "the folder given to up")->capture_default_str();
    run->add_option("--clients", run_args->clients, "clients")->capture_default_str();
    run->add_option("--duration", run_args->duration_s, "seconds of sending")
        ->capture_default_str();
    run->add_option("--message-interval", run_args->message_interval_s,
                    "mean seconds between one client's messages")
        ->capture_default_str();
    run->add_option("--poll-interval", run_args->poll_interval_s, "seconds between polls")
        ->capture_default_str();
    run->add_option("--drain", run_args->drain_s, "seconds of polling after the last message")
        ->capture_default_str();
    run->add_option("--seed", run_args->seed, "workload seed")
        ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
        ->capture_default_str();
    run->add_option("--out", run_args->out, "results folder")->capture_default_str();
    run->add_option("--warmup", run_args->warmup_s, "seconds of polling before the first message")
        ->capture_default_str();
    run->add_option("--message-bytes", run_args->message_bytes, "text length of each message")
        ->capture_default_str();
    run->add_option("--scenario", run_args->scenario,
                    "take clients, seed, timing, message size and client settings from this "
                    "scenario file (as `testbed up --scenario` laid the nodes out)");
    run->add_option("--kill-nodes", run_args->kill_nodes,
                    "crash this many nodes (SIGKILL), drawn at random, during the run")
        ->capture_default_str();
    run->add_option("--kill-at", run_args->kill_at_s, "seconds into the run to crash them")
        ->capture_default_str();
    run->add_option("--restart-at", run_args->restart_at_s,
                    "seconds into the run to start them again from their databases")
        ->capture_default_str();
    run->callback([run_args, &io] {
        prepare_output_folder(run_args->out, "--out");
        if (const int rc = testbed::run_workload(*run_args, io.out); rc != 0)
            throw CLI::RuntimeError(rc);
    });

    auto node_args = std::make_shared<NodeArgs>();
    auto* node = app.add_subcommand("node", "Run one testbed service node (HTTP, SQLite)");
    node->add_option("--registry", node_args->registry,
                     "registry file (sessionsim testbed registry)")
        ->required();
    node->add_option("--index", node_args->index, "which node of the registry this is")->required();
    node->add_option("--db", node_args->db, "SQLite message database (created if missing)")
        ->required();
    node->callback([node_args, &io] {
        if (const int rc = run_node(*node_args, io); rc != 0)
            throw CLI::RuntimeError(rc);
    });
}

}  // namespace sessionsim::cli
