// Every testbed socket sends as ns-3's TCP does: no Nagle, and a congestion control that does
// not pace (testbed/tcp_options.h), whatever the host's default is.
#include "testbed/tcp_options.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <string>

namespace sessionsim::testbed {
namespace {

std::string congestion_control_of(int fd) {
    char name[32] = {};
    socklen_t size = sizeof name;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &size) != 0)
        return "?";
    return std::string(name);
}

TEST(TcpOptions, ASocketGetsNoNagleAndCubicOrRenoInsteadOfTheHostsDefault) {
    const std::string chosen = testbed_congestion_control();
    ASSERT_TRUE(chosen == "cubic" || chosen == "reno") << "the kernel took neither: " << chosen;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    set_testbed_tcp_options(fd);
    int nodelay = 0;
    socklen_t size = sizeof nodelay;
    ASSERT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size), 0);
    EXPECT_EQ(nodelay, 1);
    EXPECT_EQ(congestion_control_of(fd), chosen);
    ::close(fd);
}

// The kernel keeps the pacing a connection's first congestion control asked for (BBR's) after
// a switch, so the listener itself must ask for the testbed's: its connections are born with it.
TEST(TcpOptions, AListenerHandsTheTestbedsCongestionControlToWhatItAccepts) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io);
    listen_on(acceptor, {boost::asio::ip::make_address("127.0.0.1"), 0});
    EXPECT_EQ(congestion_control_of(acceptor.native_handle()), testbed_congestion_control());
    boost::asio::ip::tcp::socket client(io);
    client.connect(acceptor.local_endpoint());
    boost::asio::ip::tcp::socket accepted = acceptor.accept();
    EXPECT_EQ(congestion_control_of(accepted.native_handle()), testbed_congestion_control());
}

int int_option(int fd, int level, int name) {
    int value = -1;
    socklen_t size = sizeof value;
    if (::getsockopt(fd, level, name, &value, &size) != 0)
        return -2;
    return value;
}

TEST(TcpOptions, LivenessAsksTheKernelForQuicsKeepAliveAndIdleTimeout) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    set_liveness(fd, 10'000, 30'000);
    EXPECT_EQ(int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 10);
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), 10);
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 30'000);
    ::close(fd);
}

TEST(TcpOptions, NoLivenessLeavesTheKernelsDefaults) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    set_liveness(fd, 0, 0);
    EXPECT_EQ(int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 0);
    ::close(fd);
}

}  // namespace
}  // namespace sessionsim::testbed
