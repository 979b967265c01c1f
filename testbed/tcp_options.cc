#include "testbed/tcp_options.h"

#include <algorithm>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

namespace sessionsim::testbed {

namespace {

bool set_congestion_control(int fd, const std::string& name) {
    return ::setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name.data(),
                        static_cast<socklen_t>(name.size())) == 0;
}

std::string first_allowed_congestion_control() {
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    if (probe < 0)
        return {};
    std::string chosen;
    for (const std::string& name : std::array<std::string, 2>{"cubic", "reno"}) {
        if (set_congestion_control(probe, name)) {
            chosen = name;
            break;
        }
    }
    ::close(probe);
    return chosen;
}

}  // namespace

const std::string& testbed_congestion_control() {
    static const std::string chosen = first_allowed_congestion_control();
    return chosen;
}

void set_testbed_tcp_options(int socket) {
    const int on = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (const auto& name = testbed_congestion_control(); !name.empty())
        set_congestion_control(socket, name);
}

void enable_fast_open_listen(int socket) {
    const int queue = 256;  // SYNs with data awaiting accept()
    ::setsockopt(socket, IPPROTO_TCP, TCP_FASTOPEN, &queue, sizeof queue);
}

void enable_fast_open_connect(int socket) {
    const int on = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &on, sizeof on);
}

void set_liveness(int socket, long keep_alive_ms, long timeout_ms) {
    if (keep_alive_ms > 0) {
        const int on = 1;
        const int seconds = static_cast<int>(std::max(1L, keep_alive_ms / 1000));
        // Probes until the user timeout gives up (it takes over from the probe count).
        const int probes = static_cast<int>(
            std::max(1L, timeout_ms > 0 ? timeout_ms / std::max(1L, keep_alive_ms) : 9));
        ::setsockopt(socket, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(socket, IPPROTO_TCP, TCP_KEEPIDLE, &seconds, sizeof seconds);
        ::setsockopt(socket, IPPROTO_TCP, TCP_KEEPINTVL, &seconds, sizeof seconds);
        ::setsockopt(socket, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
    }
    if (timeout_ms > 0) {
        const unsigned int ms = static_cast<unsigned int>(timeout_ms);
        ::setsockopt(socket, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);
    }
}

void listen_on(boost::asio::ip::tcp::acceptor& acceptor,
               const boost::asio::ip::tcp::endpoint& endpoint) {
    acceptor.open(endpoint.protocol());
    acceptor.set_option(boost::asio::socket_base::reuse_address(true));
    // Before it accepts: a connection is born under its listener's congestion control, and one
    // born under BBR (the host's default here) stays paced after a switch to CUBIC, since the
    // kernel keeps the pacing BBR asked for. Paced, a reply of 12 KB left a hop in two bursts
    // an eighth to a quarter of a round trip apart.
    if (const auto& name = testbed_congestion_control(); !name.empty())
        set_congestion_control(acceptor.native_handle(), name);
    acceptor.bind(endpoint);
    enable_fast_open_listen(acceptor.native_handle());  // for the QUIC clients' stand-in
    acceptor.listen();
}

}  // namespace sessionsim::testbed
