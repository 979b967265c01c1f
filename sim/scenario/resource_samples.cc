#include "sim/scenario/resource_samples.h"

#include <ns3/core-module.h>
#include <unistd.h>

#include <fstream>

namespace sessionsim::scenario {

double current_rss_mib() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size_pages = 0, resident_pages = 0;
    if (!(statm >> size_pages >> resident_pages))
        return 0;
    const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
    return static_cast<double>(resident_pages) * page / (1024.0 * 1024.0);
}

ResourceSampler::ResourceSampler(double interval_s, RunClock::time_point wall_start,
                                 std::function<NetworkFootprint()> footprint)
    : interval_s_(interval_s),
      wall_start_(wall_start),
      footprint_(std::move(footprint)),
      samples_(std::make_shared<std::vector<ResourceSample>>()) {}

void ResourceSampler::record(std::vector<ResourceSample>& samples, RunClock::time_point wall_start,
                             const std::function<NetworkFootprint()>& footprint) {
    samples.push_back({ns3::Simulator::Now().GetSeconds(),
                       std::chrono::duration<double>(RunClock::now() - wall_start).count(),
                       current_rss_mib(), ns3::Simulator::GetEventCount(), footprint()});
}

void ResourceSampler::finish() {
    if (active() &&
        (samples_->empty() || samples_->back().sim_s < ns3::Simulator::Now().GetSeconds()))
        record(*samples_, wall_start_, footprint_);
}

void ResourceSampler::start() {
    if (!active())
        return;
    // The event re-schedules itself; it holds the samples, not this object, so it cannot
    // outlive what it writes to.
    auto sample = std::make_shared<std::function<void()>>();
    *sample = [samples = samples_, footprint = footprint_, wall_start = wall_start_,
               interval = interval_s_, weak = std::weak_ptr(sample)] {
        record(*samples, wall_start, footprint);
        if (auto self = weak.lock())
            ns3::Simulator::Schedule(ns3::Seconds(interval), [self] { (*self)(); });
    };
    ns3::Simulator::ScheduleNow([sample] { (*sample)(); });
}

void ResourceSampler::write_csv(std::ostream& out) const {
    out << "sim_s,wall_s,rss_mib,records_mib,events,stored_messages,nodes_running\n";
    for (const auto& s : *samples_) {
        out << fixed(s.sim_s, 0) << ',' << fixed(s.wall_s, 1) << ',' << fixed(s.rss_mib, 1) << ','
            << fixed(s.network.records_mib, 1) << ',' << s.events << ','
            << s.network.stored_messages << ',' << s.network.nodes_running << '\n';
    }
}

}  // namespace sessionsim::scenario
