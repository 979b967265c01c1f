#include "testbed/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/common/errors.h"

namespace sessionsim::testbed {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDevice = "eth0";  // each host's end of its veth pair
constexpr const char* kBridge = "br0";   // in the hub namespace

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

std::string ip_text(std::uint32_t ipv4) {
    return std::to_string(ipv4 >> 24) + '.' + std::to_string((ipv4 >> 16) & 255) + '.' +
           std::to_string((ipv4 >> 8) & 255) + '.' + std::to_string(ipv4 & 255);
}

bool executable_on_path(const std::string& name) {
    for (const char* dir : {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
        if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
            return true;
    }
    return false;
}

/// One delay class per (source, destination) pair on a host's egress: netem with half the
/// pair's RTT. `sources` empty: any source (a node's namespace has only its own address).
struct EgressDelay {
    std::uint32_t source = 0;  ///< 0: any
    std::uint32_t destination = 0;
    double one_way_ms = 0;
};

std::string tc_batch(const std::vector<EgressDelay>& delays) {
    std::ostringstream b;
    b << "qdisc add dev " << kDevice << " root handle 1: htb default 1\n"
      << "class add dev " << kDevice << " parent 1: classid 1:1 htb rate 10gbit\n";
    unsigned minor = 0x10;
    for (const auto& d : delays) {
        char id[8];
        std::snprintf(id, sizeof id, "%x", minor++);
        char delay[32];
        std::snprintf(delay, sizeof delay, "%.3fms", d.one_way_ms);
        b << "class add dev " << kDevice << " parent 1: classid 1:" << id << " htb rate 10gbit\n"
          << "qdisc add dev " << kDevice << " parent 1:" << id << " handle " << id
          << ": netem delay " << delay << " limit 100000\n"
          << "filter add dev " << kDevice << " parent 1: protocol ip prio 1 u32";
        if (d.source)
            b << " match ip src " << ip_text(d.source) << "/32";
        b << " match ip dst " << ip_text(d.destination) << "/32 flowid 1:" << id << '\n';
    }
    return b.str();
}

/// A namespace with one veth to the hub's bridge, its addresses and egress delays.
void build_host(const std::string& prefix, const std::string& ns, const std::string& hub_port,
                const std::vector<std::uint32_t>& addresses,
                const std::vector<EgressDelay>& delays, const std::string& log,
                const fs::path& scratch) {
    const auto hub = hub_namespace(prefix);
    must({"ip", "netns", "add", ns}, log);
    must({"ip", "-n", hub, "link", "add", hub_port, "type", "veth", "peer", "name", kDevice,
          "netns", ns},
         log);
    must({"ip", "-n", hub, "link", "set", hub_port, "master", kBridge, "up"}, log);
    std::ostringstream ip_batch;
    for (const auto a : addresses)
        ip_batch << "addr add " << ip_text(a) << "/8 dev " << kDevice << '\n';
    ip_batch << "link set " << kDevice << " up\nlink set lo up\n";
    const auto ip_file = (scratch / (ns + ".ip")).string();
    std::ofstream(ip_file) << ip_batch.str();
    must({"ip", "-n", ns, "-batch", ip_file}, log);
    const auto tc_file = (scratch / (ns + ".tc")).string();
    std::ofstream(tc_file) << tc_batch(delays);
    must({"tc", "-n", ns, "-batch", tc_file}, log);
}

}  // namespace

std::string node_namespace(const std::string& prefix, std::size_t index) {
    return prefix + "n" + std::to_string(index);
}

std::string clients_namespace(const std::string& prefix) {
    return prefix + "c";
}

std::string hub_namespace(const std::string& prefix) {
    return prefix + "hub";
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
        return "not root: network namespaces and tc need CAP_NET_ADMIN and CAP_SYS_ADMIN";
    for (const char* tool : {"ip", "tc"}) {
        if (!executable_on_path(tool))
            return std::string("no '") + tool + "' command (Debian package iproute2)";
    }
    const std::string probe = "ssim-probe-" + std::to_string(::getpid());
    if (run({"ip", "netns", "add", probe}, "/dev/null") != 0)
        return "'ip netns add' is refused here (a container without CAP_SYS_ADMIN?)";
    run({"ip", "netns", "del", probe}, "/dev/null");
    return "";
}

void build_namespaces(const Registry& registry, const RttMatrix& rtt_ms,
                      const std::string& log_path) {
    if (registry.netns.empty())
        throw InvalidInput("namespace testbed: the registry has no netns prefix");
    const std::size_t n = registry.nodes.size(), hosts = n + registry.clients.size();
    if (rtt_ms.size() != hosts)
        throw InvalidInput("namespace testbed: delay matrix is " + std::to_string(rtt_ms.size()) +
                           " hosts, the registry has " + std::to_string(hosts));
    remove_namespaces(registry);
    const auto& prefix = registry.netns;
    const auto scratch = fs::path(log_path).parent_path() / "netns";
    fs::create_directories(scratch);
    const auto hub = hub_namespace(prefix);
    must({"ip", "netns", "add", hub}, log_path);
    must({"ip", "-n", hub, "link", "add", kBridge, "type", "bridge"}, log_path);
    must({"ip", "-n", hub, "link", "set", kBridge, "up"}, log_path);
    const auto address_of = [&](std::size_t h) {
        return h < n ? registry.nodes[h].contact.ipv4 : registry.clients[h - n].ipv4;
    };
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<EgressDelay> delays;
        for (std::size_t h = 0; h < hosts; ++h) {
            if (h != i)
                delays.push_back({0, address_of(h), rtt_ms[i][h] / 2});
        }
        build_host(prefix, node_namespace(prefix, i), "n" + std::to_string(i),
                   {registry.nodes[i].contact.ipv4}, delays, log_path, scratch);
    }
    if (!registry.clients.empty()) {
        // Clients talk to nodes only, so their namespace needs a class per (client, node).
        std::vector<EgressDelay> delays;
        std::vector<std::uint32_t> addresses;
        for (std::size_t c = n; c < hosts; ++c) {
            addresses.push_back(address_of(c));
            for (std::size_t i = 0; i < n; ++i)
                delays.push_back({address_of(c), address_of(i), rtt_ms[c][i] / 2});
        }
        build_host(prefix, clients_namespace(prefix), "c", addresses, delays, log_path, scratch);
    }
}

std::size_t remove_namespaces(const Registry& registry) {
    if (registry.netns.empty())
        return 0;
    std::vector<std::string> names{clients_namespace(registry.netns)};
    for (std::size_t i = 0; i < registry.nodes.size(); ++i)
        names.push_back(node_namespace(registry.netns, i));
    names.push_back(hub_namespace(registry.netns));
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
