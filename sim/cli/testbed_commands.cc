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
#include <ostream>

#include "sim/cli/command.h"
#include "sim/cli/testbed_run.h"
#include "testbed/launcher.h"
#include "testbed/node_daemon.h"

namespace sessionsim::cli {

namespace {

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
           << " messages stored" << std::endl;
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
    registry->add_option("--seed", registry_args->seed, "key seed")->capture_default_str();
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

    auto up_args = std::make_shared<RegistryArgs>();
    auto up_dir = std::make_shared<std::string>("testbed-run");
    auto* up = testbed->add_subcommand(
        "up", "Start a loopback testbed: registry and every node, in the background");
    up->add_option("--nodes", up_args->nodes, "service nodes")->capture_default_str();
    up->add_option("--seed", up_args->seed, "key seed")->capture_default_str();
    up->add_option("--port", up_args->port, "every node's port")->capture_default_str();
    up->add_option("--dir", *up_dir, "folder for registry, logs, databases and pids")
        ->capture_default_str();
    up->callback([up_args, up_dir, &io] {
        const auto network = testbed::Registry::make(up_args->nodes, up_args->seed, up_args->port);
        const auto nodes = testbed::launch_nodes(network, *up_dir, std::chrono::seconds(20));
        io.out << "testbed up: " << nodes.size() << " nodes in "
               << network.swarm_view()->ids().size() << " swarms; registry " << *up_dir
               << "/registry.json; stop with: sessionsim testbed down --dir " << *up_dir << '\n';
    });
    auto down_dir = std::make_shared<std::string>("testbed-run");
    auto* down = testbed->add_subcommand("down", "Stop a testbed started with up");
    down->add_option("--dir", *down_dir, "the folder given to up")->capture_default_str();
    down->callback([down_dir, &io] {
        const auto stopped = testbed::stop_nodes(*down_dir, std::chrono::seconds(5));
        io.out << "testbed down: " << stopped << " nodes stopped\n";
    });

    auto run_args = std::make_shared<TestbedRunArgs>();
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
    run->add_option("--seed", run_args->seed, "workload seed")->capture_default_str();
    run->add_option("--out", run_args->out, "results folder")->capture_default_str();
    run->callback([run_args, &io] {
        if (const int rc = run_testbed_workload(*run_args, io); rc != 0)
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
