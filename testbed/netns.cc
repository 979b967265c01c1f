#include "testbed/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "models/common/errors.h"
#include "models/storage/swarm_view.h"

namespace sessionsim::testbed {

namespace fs = std::filesystem;

namespace {

/// Runs argv[0] with its output appended to `log`; returns the exit status (127: not found).
int run(const std::vector<std::string>& argv, const std::string& log) {
    {
        std::ofstream record(log, std::ios::app);
        for (const auto& a : argv)
            record << a << ' ';
        record << '\n';
    }
    const pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (std::FILE* out = std::freopen(log.c_str(), "a", stdout); out)
            ::dup2(::fileno(out), STDERR_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void must(const std::vector<std::string>& argv, const std::string& log) {
    if (const int rc = run(argv, log); rc != 0) {
        std::string command;
        for (const auto& a : argv)
            command += (command.empty() ? "" : " ") + a;
        throw InvalidInput("namespace testbed: '" + command + "' failed (exit " +
                           std::to_string(rc) + "); see " + log);
    }
}

bool executable_on_path(const std::string& name) {
    for (const char* dir : {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
        if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
            return true;
    }
    return false;
}

}  // namespace

std::string node_namespace(const std::string& prefix, std::size_t index) {
    return prefix + "n" + std::to_string(index);
}

std::string clients_namespace(const std::string& prefix) {
    return prefix + "c";
}

std::string netns_prefix_for(const std::string& dir) {
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (const char c : fs::absolute(dir).lexically_normal().string())
        h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
    char tag[16];
    std::snprintf(tag, sizeof tag, "ssim%04x-", h & 0xffff);
    return tag;
}

std::string netns_unavailable_reason() {
    if (::geteuid() != 0)
        return "not root: network namespaces and TUN devices need CAP_NET_ADMIN and CAP_SYS_ADMIN";
    if (!executable_on_path("ip"))
        return "no 'ip' command (Debian package iproute2)";
    if (::access("/dev/net/tun", R_OK | W_OK) != 0)
        return "no /dev/net/tun (TUN devices carry the namespaces' traffic)";
    const std::string probe = "ssim-probe-" + std::to_string(::getpid());
    if (run({"ip", "netns", "add", probe}, "/dev/null") != 0)
        return "'ip netns add' is refused here (a container without CAP_SYS_ADMIN?)";
    run({"ip", "netns", "del", probe}, "/dev/null");
    return "";
}

namespace {

// The TCP settings of every testbed namespace (per namespace: nothing outside the testbed
// changes). Each line of the log names what was set, or that the kernel refused it.
struct NamespaceSysctl {
    const char* path;
    const char* value;
    const char* if_refused;
};
constexpr std::array<NamespaceSysctl, 2> kNamespaceSysctls{{
    // A reply of a few segments must leave a host at once, as through a real NIC. Through a TUN
    // device it did not: a kept connection's small pacing-rate estimate made TCP put only
    // tcp_min_tso_segs (2) segments in each packet it hands down, and the next pair left about
    // 5 ms later. Every 6 KB onion reply lost about 8 ms per hop that way: the testbed's Android
    // median onion RTT was 427 ms on a uniform 50 ms network where the simulator (and the closed
    // form, 8 one-way delays) gives 402 ms; with 64 segments allowed per packet it was 406 ms.
    {"/proc/sys/net/ipv4/tcp_min_tso_segs", "64", "replies may leave in pairs of segments"},
    // TCP Fast Open for clients and servers (1 | 2), the testbed's stand-in for QUIC's
    // one-round-trip handshake (HttpClientOptions::fast_open), without the cookie of an earlier
    // connection (4: clients send data in the SYN regardless; 0x200: servers take it): QUIC's
    // first connection to a node costs one round trip too, where a cookie-bound Fast Open costs
    // a TCP handshake more on each client's first connection to each node (libsession's start
    // began about 85 ms later in the testbed, and its completion-timed polls kept the lag).
    {"/proc/sys/net/ipv4/tcp_fastopen", "519", "QUIC clients' connections cost TLS over TCP's"},
}};

void set_namespace_sysctls(const std::string& ns, const std::string& log_path) {
    std::array<bool, kNamespaceSysctls.size()> written{};
    std::thread([&] {
        try {
            enter_namespace(ns);  // /proc/sys/net is the calling thread's namespace's
        } catch (const InvalidInput&) {
            return;
        }
        for (std::size_t i = 0; i < kNamespaceSysctls.size(); ++i) {
            std::ofstream sysctl(kNamespaceSysctls[i].path);
            sysctl << kNamespaceSysctls[i].value;
            sysctl.close();
            written[i] = static_cast<bool>(sysctl);
        }
    }).join();
    std::ofstream log(log_path, std::ios::app);
    for (std::size_t i = 0; i < kNamespaceSysctls.size(); ++i) {
        const auto& s = kNamespaceSysctls[i];
        log << "in " << ns << ": " << s.path << " = " << s.value
            << (written[i] ? "" : std::string(" refused (") + s.if_refused + ")") << '\n';
    }
}

}  // namespace

void create_namespaces(const Registry& registry, const std::string& log_path) {
    if (registry.netns.empty())
        throw InvalidInput("namespace testbed: the registry has no netns prefix");
    remove_namespaces(registry);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < registry.nodes.size(); ++i)
        names.push_back(node_namespace(registry.netns, i));
    if (!registry.clients.empty())
        names.push_back(clients_namespace(registry.netns));
    for (const auto& ns : names) {
        must({"ip", "netns", "add", ns}, log_path);
        must({"ip", "-n", ns, "link", "set", "lo", "up"}, log_path);
        set_namespace_sysctls(ns, log_path);
    }
}

void configure_tun(const std::string& ns, const std::vector<std::uint32_t>& addresses,
                   const std::string& log_path) {
    for (const auto a : addresses)
        must({"ip", "-n", ns, "addr", "add", storage::ipv4_string(a) + "/8", "dev", kTunDevice},
             log_path);
    must({"ip", "-n", ns, "link", "set", kTunDevice, "up"}, log_path);
}

std::size_t remove_namespaces(const Registry& registry) {
    if (registry.netns.empty())
        return 0;
    std::vector<std::string> names{clients_namespace(registry.netns)};
    for (std::size_t i = 0; i < registry.nodes.size(); ++i)
        names.push_back(node_namespace(registry.netns, i));
    std::size_t removed = 0;
    for (const auto& name : names) {
        if (fs::exists("/run/netns/" + name) && run({"ip", "netns", "del", name}, "/dev/null") == 0)
            ++removed;
    }
    return removed;
}

void enter_namespace(const std::string& name) {
    const auto path = "/run/netns/" + name;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InvalidInput(path + ": no such network namespace (is the testbed up?)");
    const int rc = ::setns(fd, CLONE_NEWNET);
    ::close(fd);
    if (rc != 0)
        throw InvalidInput(path + ": cannot enter the namespace (root needed)");
}

}  // namespace sessionsim::testbed
