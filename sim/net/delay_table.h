// One-way delays between the distinct locations hosts occupy, precomputed once so that the
// channel's per-packet lookup is an index into a dense matrix: O(1) whatever the host count.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "sim/net/latency_model.h"

namespace sessionsim::net {

class DelayTable {
public:
    /// Index of a location, adding it if new. Call for every host before build().
    std::uint32_t intern(const Location& location);
    /// Computes every pair with `model` (one-way = RTT / 2), in nanoseconds.
    void build(const LatencyModel& model);

    std::int64_t one_way_ns(std::uint32_t a, std::uint32_t b) const {
        return delay_ns_[static_cast<std::size_t>(a) * size_ + b];
    }
    std::size_t locations() const { return size_; }

private:
    std::map<std::pair<std::string, int>, std::uint32_t> index_;
    std::vector<Location> locations_;
    std::size_t size_ = 0;
    std::vector<std::int64_t> delay_ns_;
};

}  // namespace sessionsim::net
