// The namespace testbed's wide-area network, in user space: it holds the far end of every
// namespace's tun0, reads each IPv4 packet a host sends, and writes it to the destination's
// tun0 after the one-way delay of that (source, destination) pair, half the pair's RTT, as the
// simulator's channel does. This is netem's job; the kernels the testbed must run on (the CI
// machines') have no sch_netem, and a TUN device is available wherever namespaces are.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "testbed/netns.h"
#include "testbed/registry_file.h"

namespace sessionsim::testbed {

/// The RTTs of every pair with a node in it (clients talk to nodes only) as CSV, a,b,rtt_ms with
/// hosts named n<i> (nodes) and c<i> (clients).
void write_delays_csv(const Registry& registry, const RttMatrix& rtt_ms, const std::string& path);
/// Reads what write_delays_csv wrote; throws InvalidInput naming the file, line and reason.
RttMatrix read_delays_csv(const Registry& registry, const std::string& path);

struct WanCounters {
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0;  ///< not IPv4, unknown destination, or the device was full
    /// How late delivered packets left against their due time (the emulator's own scheduling
    /// delay, which the simulator's channel does not have): over 1 ms and over 5 ms, the sum
    /// and the largest, in microseconds.
    std::uint64_t late_over_1ms = 0;
    std::uint64_t late_over_5ms = 0;
    std::uint64_t lateness_sum_us = 0;
    std::uint64_t lateness_max_us = 0;
};

class WanEmulator {
public:
    /// Opens a tun0 in every namespace of `registry` (entering each on a short-lived thread) and
    /// gives it the host's addresses. Throws InvalidInput if a device cannot be made.
    WanEmulator(boost::asio::io_context& io, const Registry& registry, RttMatrix rtt_ms,
                const std::string& log_path);
    ~WanEmulator();
    const WanCounters& counters() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace sessionsim::testbed
