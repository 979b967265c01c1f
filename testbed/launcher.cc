#include "testbed/launcher.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "models/common/errors.h"

namespace sessionsim::testbed {

namespace fs = std::filesystem;

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

}  // namespace

std::vector<LaunchedNode> launch_nodes(const Registry& registry, const std::string& dir,
                                       std::chrono::milliseconds start_timeout) {
    fs::create_directories(dir);
    const auto registry_path = (fs::path(dir) / "registry.json").string();
    registry.save(registry_path);
    const auto exe = self_executable();
    std::vector<LaunchedNode> nodes;
    for (const auto& n : registry.nodes) {
        const std::string index = std::to_string(n.index);
        const std::string log = (fs::path(dir) / ("node" + index + ".log")).string();
        const std::string db = (fs::path(dir) / ("node" + index + ".db")).string();
        const pid_t pid = fork();
        if (pid < 0)
            throw std::runtime_error("fork failed");
        if (pid == 0) {
            ::setsid();  // outlives the launching command
            std::freopen(log.c_str(), "a", stdout);
            std::freopen(log.c_str(), "a", stderr);
            execl(exe.c_str(), "sessionsim", "node", "--registry", registry_path.c_str(), "--index",
                  index.c_str(), "--db", db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        nodes.push_back({n.index, pid});
    }
    {
        std::ofstream pids(fs::path(dir) / "nodes.pid");
        for (const auto& n : nodes)
            pids << n.index << ' ' << n.pid << '\n';
    }
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    for (const auto& n : nodes) {
        while (!listening(registry.nodes[n.index].contact)) {
            if (std::chrono::steady_clock::now() > deadline || !alive(n.pid)) {
                stop_nodes(dir, std::chrono::seconds(2));
                throw InvalidInput(
                    "node " + std::to_string(n.index) + " did not start: see " +
                    (fs::path(dir) / ("node" + std::to_string(n.index) + ".log")).string());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    return nodes;
}

std::size_t stop_nodes(const std::string& dir, std::chrono::milliseconds grace) {
    std::ifstream in(fs::path(dir) / "nodes.pid");
    if (!in)
        throw InvalidInput(dir + ": no nodes.pid (was the testbed started here?)");
    std::vector<int> pids;
    std::size_t index = 0;
    int pid = 0;
    while (in >> index >> pid)
        pids.push_back(pid);
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
    return running;
}

}  // namespace sessionsim::testbed
