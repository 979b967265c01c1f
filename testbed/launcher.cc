#include "testbed/launcher.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "models/common/errors.h"
#include "testbed/netns.h"

namespace sessionsim::testbed {

namespace fs = std::filesystem;

std::string node_database(const std::string& dir, std::size_t index) {
    return (fs::path(dir) / ("node" + std::to_string(index) + ".db")).string();
}

namespace {

std::string self_executable() {
    return fs::read_symlink("/proc/self/exe").string();
}

bool listening(const storage::NodeContact& contact) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(
        {boost::asio::ip::make_address(storage::ipv4_string(contact.ipv4)), contact.https_port},
        ec);
    return !ec;
}

bool alive(int pid) {
    // Reap it if it was our child and has exited; then ask the kernel.
    ::waitpid(pid, nullptr, WNOHANG);
    return ::kill(pid, 0) == 0;
}

/// Runs `sessionsim ARGS...` in the background, in its own session (it outlives the launching
/// command) with output appended to `log`, inside network namespace `netns` if one is named.
int spawn_self(const std::vector<std::string>& args, const std::string& log,
               const std::string& netns = "") {
    const auto exe = self_executable();
    std::vector<char*> argv{const_cast<char*>("sessionsim")};
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setsid();
        std::freopen(log.c_str(), "a", stdout);
        std::freopen(log.c_str(), "a", stderr);
        if (!netns.empty()) {
            try {
                enter_namespace(netns);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s\n", e.what());
                ::_exit(126);
            }
        }
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

/// Starts node `index` in the background (in its namespace on a namespace testbed).
int spawn_node(const Registry& registry, const std::string& dir, std::size_t index) {
    const std::string number = std::to_string(index);
    return spawn_self({"node", "--registry", (fs::path(dir) / "registry.json").string(), "--index",
                       number, "--db", node_database(dir, index)},
                      (fs::path(dir) / ("node" + number + ".log")).string(),
                      registry.netns.empty() ? "" : node_namespace(registry.netns, index));
}

void write_pids(const std::string& dir, const std::vector<LaunchedNode>& nodes) {
    std::ofstream pids(fs::path(dir) / "nodes.pid");
    for (const auto& n : nodes)
        pids << n.index << ' ' << n.pid << '\n';
}

std::vector<LaunchedNode> read_pids(const std::string& dir) {
    std::ifstream in(fs::path(dir) / "nodes.pid");
    if (!in)
        throw InvalidInput(dir + ": no nodes.pid (was the testbed started here?)");
    std::vector<LaunchedNode> nodes;
    LaunchedNode n;
    while (in >> n.index >> n.pid)
        nodes.push_back(n);
    return nodes;
}

/// The first of `nodes` that neither listens nor lives by `deadline`, if any. On a namespace
/// testbed the probing runs on a thread inside the clients' namespace, which reaches every node.
std::optional<std::size_t> wait_listening(const Registry& registry,
                                          const std::vector<LaunchedNode>& nodes,
                                          std::chrono::steady_clock::time_point deadline) {
    std::optional<std::size_t> failed;
    std::string error;
    auto probe = [&] {
        try {
            if (!registry.netns.empty())
                enter_namespace(clients_namespace(registry.netns));
        } catch (const std::exception& e) {
            error = e.what();
            return;
        }
        for (const auto& n : nodes) {
            while (!listening(registry.nodes[n.index].contact)) {
                if (std::chrono::steady_clock::now() > deadline || !alive(n.pid)) {
                    failed = n.index;
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    };
    std::thread(probe).join();
    if (!error.empty())
        throw InvalidInput(error);
    return failed;
}

}  // namespace

std::vector<LaunchedNode> launch_nodes(const Registry& registry, const std::string& dir,
                                       std::chrono::milliseconds start_timeout) {
    fs::create_directories(dir);
    registry.save((fs::path(dir) / "registry.json").string());
    std::vector<LaunchedNode> nodes;
    for (const auto& n : registry.nodes)
        nodes.push_back({n.index, spawn_node(registry, dir, n.index)});
    write_pids(dir, nodes);
    if (const auto failed =
            wait_listening(registry, nodes, std::chrono::steady_clock::now() + start_timeout)) {
        stop_nodes(dir, std::chrono::seconds(2));
        throw InvalidInput("node " + std::to_string(*failed) + " did not start: see " +
                           (fs::path(dir) / ("node" + std::to_string(*failed) + ".log")).string());
    }
    return nodes;
}

void launch_wan(const std::string& dir, std::chrono::milliseconds start_timeout) {
    const auto ready = fs::path(dir) / "wan.ready";
    fs::remove(ready);
    const auto log = (fs::path(dir) / "wan.log").string();
    const int pid = spawn_self({"testbed", "wan", "--dir", dir}, log);
    std::ofstream(fs::path(dir) / "wan.pid") << pid << '\n';
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (!fs::exists(ready)) {
        if (std::chrono::steady_clock::now() > deadline || !alive(pid))
            throw InvalidInput("the WAN emulator did not start: see " + log);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void kill_node(const std::string& dir, std::size_t index) {
    for (const auto& n : read_pids(dir)) {
        if (n.index == index && alive(n.pid)) {
            ::kill(n.pid, SIGKILL);
            while (alive(n.pid))
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

bool restart_nodes(const std::string& dir, const std::vector<std::size_t>& indices,
                   std::chrono::milliseconds start_timeout) {
    const auto registry = Registry::load((fs::path(dir) / "registry.json").string());
    auto nodes = read_pids(dir);
    std::vector<LaunchedNode> started;
    for (const auto index : indices) {
        if (index >= registry.nodes.size())
            throw InvalidInput("restart: node " + std::to_string(index) +
                               " is not in the registry");
        started.push_back({index, spawn_node(registry, dir, index)});
        std::erase_if(nodes, [&](const LaunchedNode& n) { return n.index == index; });
        nodes.push_back(started.back());
    }
    write_pids(dir, nodes);
    return !wait_listening(registry, started, std::chrono::steady_clock::now() + start_timeout);
}

void stop_network(const std::string& dir) {
    if (std::ifstream wan(fs::path(dir) / "wan.pid"); wan) {
        int wan_pid = 0;
        if (wan >> wan_pid && alive(wan_pid)) {
            ::kill(wan_pid, SIGTERM);
            for (int i = 0; i < 100 && alive(wan_pid); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (alive(wan_pid))
                ::kill(wan_pid, SIGKILL);
        }
        fs::remove(fs::path(dir) / "wan.pid");
        fs::remove(fs::path(dir) / "wan.ready");
    }
    if (const auto registry = fs::path(dir) / "registry.json"; fs::exists(registry))
        remove_namespaces(Registry::load(registry.string()));
}

std::size_t stop_nodes(const std::string& dir, std::chrono::milliseconds grace) {
    std::vector<int> pids;
    for (const auto& n : read_pids(dir))
        pids.push_back(n.pid);
    std::size_t running = 0;
    for (const int p : pids) {
        if (alive(p)) {
            ++running;
            ::kill(p, SIGTERM);
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    for (const int p : pids) {
        while (alive(p) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (alive(p))
            ::kill(p, SIGKILL);
    }
    fs::remove(fs::path(dir) / "nodes.pid");
    stop_network(dir);
    return running;
}

}  // namespace sessionsim::testbed
