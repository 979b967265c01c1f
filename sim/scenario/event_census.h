// What a run's events are: a scheduler that counts each event it is given by the callable behind
// it (the lambda, or the class and signature of the member function), and how many of them were
// cancelled by the time they came due. bench_scale --event-census uses it to say where the
// events per onion request go. It orders events exactly as ns-3's default MapScheduler does (it
// is one), so a run under it gives the same results.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sessionsim::scenario {

struct EventTally {
    std::uint64_t scheduled = 0;  ///< inserted into the scheduler
    std::uint64_t cancelled = 0;  ///< came due (or were removed) cancelled
};

/// Makes every simulator created from now on in this process count its events (call before
/// the first event is scheduled).
void start_event_census();

/// The counts so far, by readable callable name.
std::map<std::string, EventTally> event_census();

}  // namespace sessionsim::scenario
