#include "sim/scenario/resource_samples.h"

#include <ns3/core-module.h>
#include <unistd.h>

#include <fstream>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

double current_rss_mib() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size_pages = 0, resident_pages = 0;
    if (!(statm >> size_pages >> resident_pages))
        return 0;
    const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
    return static_cast<double>(resident_pages) * page / (1024.0 * 1024.0);
}

NetworkFootprint network_footprint(const SessionRun& run) {
    NetworkFootprint f;
    f.records_mib = static_cast<double>(run.requests.capacity() * sizeof(RequestRow) +
                                        run.messages.capacity() * sizeof(MessageRecord) +
                                        run.messages.size() * 64) /  // hash and reason strings
                    (1024.0 * 1024.0);
    for (const auto& h : run.dynamics->hosts()) {
        f.stored_messages += h.app->Node().store().size();
        f.nodes_running += NetworkDynamics::running(h);
    }
    return f;
}

ResourceSampler::ResourceSampler(const Scenario& sc, RunClock::time_point wall_start)
    : interval_s_(sc.number("metrics.resource_sample_s")),
      wall_start_(wall_start),
      samples_(std::make_shared<std::vector<ResourceSample>>()) {}

void ResourceSampler::record(std::vector<ResourceSample>& samples, RunClock::time_point wall_start,
                             const std::function<NetworkFootprint()>& footprint) {
    samples.push_back({ns3::Simulator::Now().GetSeconds(),
                       std::chrono::duration<double>(RunClock::now() - wall_start).count(),
                       current_rss_mib(), ns3::Simulator::GetEventCount(), footprint()});
}

void ResourceSampler::finish(SessionRun&) {
    if (active() &&
        (samples_->empty() || samples_->back().sim_s < ns3::Simulator::Now().GetSeconds()))
        record(*samples_, wall_start_, footprint_);
}

void ResourceSampler::schedule(SessionRun& run) {
    footprint_ = [&run] { return network_footprint(run); };
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

void ResourceSampler::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "resources.csv");
    write_csv(out);
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
