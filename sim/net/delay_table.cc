#include "sim/net/delay_table.h"

#include <cmath>

namespace sessionsim::net {

std::uint32_t DelayTable::intern(const Location& location) {
    const auto [it, inserted] = index_.emplace(std::make_pair(location.country, location.city),
                                               static_cast<std::uint32_t>(locations_.size()));
    if (inserted)
        locations_.push_back(location);
    return it->second;
}

void DelayTable::build(const LatencyModel& model) {
    size_ = locations_.size();
    delay_ns_.assign(size_ * size_, 0);
    for (std::size_t a = 0; a < size_; ++a) {
        for (std::size_t b = a; b < size_; ++b) {
            const auto ns = static_cast<std::int64_t>(
                std::llround(model.one_way_ms(locations_[a], locations_[b]) * 1e6));
            delay_ns_[a * size_ + b] = ns;
            delay_ns_[b * size_ + a] = ns;
        }
    }
}

}  // namespace sessionsim::net
