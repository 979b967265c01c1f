#include "testbed/wan_emulator.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstring>
#include <fstream>
#include <map>
#include <queue>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "models/common/errors.h"

namespace sessionsim::testbed {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string host_name(const Registry& registry, std::size_t h) {
    const auto n = registry.nodes.size();
    return h < n ? "n" + std::to_string(h) : "c" + std::to_string(h - n);
}

/// Opens a TUN device named tun0 in namespace `ns`; returns its file descriptor.
int open_tun_in(const std::string& ns) {
    int fd = -1;
    std::string error;
    std::thread([&] {  // a thread's namespace is its own: enter, create, leave with the thread
        try {
            enter_namespace(ns);
        } catch (const std::exception& e) {
            error = e.what();
            return;
        }
        fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            error = "/dev/net/tun: " + std::string(std::strerror(errno));
            return;
        }
        ifreq request{};
        request.ifr_flags = IFF_TUN | IFF_NO_PI;
        std::strncpy(request.ifr_name, kTunDevice, IFNAMSIZ - 1);
        if (::ioctl(fd, TUNSETIFF, &request) != 0) {
            error = ns + ": cannot create " + kTunDevice + ": " + std::strerror(errno);
            ::close(fd);
            fd = -1;
        }
    })
        .join();
    if (fd < 0)
        throw InvalidInput("WAN emulator: " + error);
    return fd;
}

std::uint32_t ipv4_at(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

}  // namespace

void write_delays_csv(const Registry& registry, const RttMatrix& rtt_ms, const std::string& path) {
    std::ofstream out(path);
    out << "a,b,rtt_ms\n";
    for (std::size_t a = 0; a < std::min(registry.nodes.size(), rtt_ms.size()); ++a) {
        for (std::size_t b = a + 1; b < rtt_ms.size(); ++b)
            out << host_name(registry, a) << ',' << host_name(registry, b) << ',' << rtt_ms[a][b]
                << '\n';
    }
    if (!out)
        throw InvalidInput(path + ": cannot write");
}

RttMatrix read_delays_csv(const Registry& registry, const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw InvalidInput(path + ": cannot read the testbed's delays");
    const std::size_t hosts = registry.nodes.size() + registry.clients.size();
    std::map<std::string, std::size_t> index;
    for (std::size_t h = 0; h < hosts; ++h)
        index[host_name(registry, h)] = h;
    RttMatrix rtt(hosts, std::vector<double>(hosts, -1));
    std::string line;
    std::size_t number = 1;
    std::getline(in, line);
    while (std::getline(in, line)) {
        ++number;
        std::stringstream fields(line);
        std::string a, b, value;
        std::getline(fields, a, ',');
        std::getline(fields, b, ',');
        std::getline(fields, value);
        const auto ia = index.find(a), ib = index.find(b);
        double ms = -1;
        try {
            ms = std::stod(value);
        } catch (const std::exception&) {
        }
        if (ia == index.end() || ib == index.end() || ms < 0)
            throw InvalidInput(path + ":" + std::to_string(number) + ": '" + line +
                               "' is not host,host,rtt_ms for this registry");
        rtt[ia->second][ib->second] = rtt[ib->second][ia->second] = ms;
    }
    const std::size_t nodes = registry.nodes.size();
    for (std::size_t a = 0; a < hosts; ++a) {
        for (std::size_t b = 0; b < hosts; ++b) {
            if (a == b || (a >= nodes && b >= nodes))
                rtt[a][b] = 0;  // clients talk to nodes only
            else if (rtt[a][b] < 0)
                throw InvalidInput(path + ": no delay for " + host_name(registry, a) + "," +
                                   host_name(registry, b));
        }
    }
    return rtt;
}

struct WanEmulator::Impl : std::enable_shared_from_this<WanEmulator::Impl> {
    struct Device {
        std::unique_ptr<asio::posix::stream_descriptor> fd;
        std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(65536);
    };
    struct InFlight {
        Clock::time_point due;
        std::uint64_t order;  // equal due times leave in arrival order
        std::size_t device;
        std::vector<std::uint8_t> packet;
        bool operator>(const InFlight& o) const {
            return due != o.due ? due > o.due : order > o.order;
        }
    };

    Impl(asio::io_context& io, RttMatrix rtt) : timer(io), rtt_ms(std::move(rtt)) {}

    void read(std::size_t d) {
        auto& device = devices[d];
        device.fd->async_read_some(
            asio::buffer(device.buffer),
            [self = shared_from_this(), d](boost::system::error_code ec, std::size_t size) {
                if (ec == asio::error::operation_aborted)
                    return;
                if (!ec)
                    self->route(self->devices[d].buffer.data(), size);
                self->read(d);
            });
    }

    void route(const std::uint8_t* packet, std::size_t size) {
        if (size < 20 || (packet[0] >> 4) != 4) {
            ++counters.dropped;
            return;
        }
        const auto from = host_of.find(ipv4_at(packet + 12));
        const auto to = host_of.find(ipv4_at(packet + 16));
        if (from == host_of.end() || to == host_of.end()) {
            ++counters.dropped;
            return;
        }
        const auto one_way =
            std::chrono::duration<double, std::milli>(rtt_ms[from->second][to->second] / 2);
        const auto due = Clock::now() + std::chrono::duration_cast<Clock::duration>(one_way);
        queue.push({due, next_order++, device_of_host[to->second],
                    std::vector<std::uint8_t>(packet, packet + size)});
        if (queue.top().order == next_order - 1)
            arm();  // the new packet is the next due
    }

    void arm() {
        timer.expires_at(queue.top().due);
        timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec)
                return;
            self->deliver_due();
        });
    }

    void deliver_due() {
        const auto now = Clock::now();
        while (!queue.empty() && queue.top().due <= now) {
            const auto& p = queue.top();
            const auto written =
                ::write(devices[p.device].fd->native_handle(), p.packet.data(), p.packet.size());
            if (written == static_cast<ssize_t>(p.packet.size())) {
                ++counters.delivered;
                count_lateness(now - p.due);
            } else
                ++counters.dropped;
            queue.pop();
        }
        if (!queue.empty())
            arm();
    }

    void count_lateness(Clock::duration late) {
        const auto us = static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(late).count());
        counters.lateness_sum_us += us;
        counters.lateness_max_us = std::max(counters.lateness_max_us, us);
        counters.late_over_1ms += us > 1000;
        counters.late_over_5ms += us > 5000;
    }

    asio::steady_timer timer;
    RttMatrix rtt_ms;
    std::vector<Device> devices;
    std::vector<std::size_t> device_of_host;
    std::unordered_map<std::uint32_t, std::size_t> host_of;  // address -> host (per packet)
    std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> queue;
    std::uint64_t next_order = 0;
    WanCounters counters;
};

WanEmulator::WanEmulator(asio::io_context& io, const Registry& registry, RttMatrix rtt_ms,
                         const std::string& log_path)
    : impl_(std::make_shared<Impl>(io, std::move(rtt_ms))) {
    const std::size_t n = registry.nodes.size();
    auto add_device = [&](const std::string& ns, const std::vector<std::uint32_t>& addresses) {
        Impl::Device device;
        device.fd = std::make_unique<asio::posix::stream_descriptor>(io, open_tun_in(ns));
        impl_->devices.push_back(std::move(device));
        configure_tun(ns, addresses, log_path);
    };
    for (std::size_t i = 0; i < n; ++i) {
        add_device(node_namespace(registry.netns, i), {registry.nodes[i].contact.ipv4});
        impl_->device_of_host.push_back(i);
        impl_->host_of[registry.nodes[i].contact.ipv4] = i;
    }
    if (!registry.clients.empty()) {
        std::vector<std::uint32_t> addresses;
        for (std::size_t c = 0; c < registry.clients.size(); ++c) {
            addresses.push_back(registry.clients[c].ipv4);
            impl_->device_of_host.push_back(n);  // one device carries every client
            impl_->host_of[registry.clients[c].ipv4] = n + c;
        }
        add_device(clients_namespace(registry.netns), addresses);
    }
    for (std::size_t d = 0; d < impl_->devices.size(); ++d)
        impl_->read(d);
}

WanEmulator::~WanEmulator() {
    impl_->timer.cancel();
    for (auto& d : impl_->devices)
        d.fd->cancel();
}

const WanCounters& WanEmulator::counters() const {
    return impl_->counters;
}

}  // namespace sessionsim::testbed
