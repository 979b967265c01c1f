// The event queue every run uses: a timing wheel in place of ns-3's red-black tree.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include <ns3/scheduler.h>

namespace sessionsim::scenario {

/// ns-3's MapScheduler keeps pending events in a red-black tree. At a million clients several
/// million timers are pending, and each insertion walks some twenty levels of cache misses:
/// `MapScheduler::Insert` was 25.9% of the 1,000,000-client profile (docs/performance.md).
/// This scheduler files an event by its time stamp: into a near wheel of 2^14 slots of 2^18
/// time units (262 µs at ns-3's nanosecond resolution; 4.3 s in all), events further ahead into a
/// far wheel of 2^12 slots of 4.3 s (4.9 h), and beyond that into a heap. Only the slot being
/// run is kept in order (a heap), so filing an event costs O(1) and taking one O(log n) of that
/// slot's events alone.
///
/// It hands events out in exactly MapScheduler's order -- time stamp, then the order they were
/// scheduled in (ns-3's uid) -- so a run's results are byte-identical with either scheduler.
/// Removal is lazy: a removed event stays filed, with a reference held on it, and is dropped
/// when it comes up; its key is looked up only for events ns-3 has cancelled.
class TimingWheelScheduler : public ns3::Scheduler {
public:
    static ns3::TypeId GetTypeId();
    ~TimingWheelScheduler() override;

    void Insert(const Event& ev) override;
    bool IsEmpty() const override;
    Event PeekNext() const override;
    Event RemoveNext() override;
    void Remove(const Event& ev) override;

    static constexpr unsigned kSlotShift = 18;  ///< a near slot spans 2^18 time units
    static constexpr unsigned kNearBits = 14;   ///< 2^14 near slots make one far slot
    static constexpr unsigned kFarBits = 12;    ///< 2^12 far slots
    static constexpr unsigned kWindowShift = kSlotShift + kNearBits;

private:
    struct Removed {
        std::uint64_t ts;
        std::uint32_t uid;
        bool operator==(const Removed&) const = default;
    };
    struct RemovedHash {
        std::size_t operator()(const Removed& r) const {
            return static_cast<std::size_t>(r.ts * 0x9E3779B97F4A7C15ULL ^ r.uid);
        }
    };
    using Slot = std::vector<Event>;
    static constexpr std::size_t kNearSlots = std::size_t{1} << kNearBits;
    static constexpr std::size_t kFarSlots = std::size_t{1} << kFarBits;

    /// Files an event where its time stamp belongs.
    void place(const Event& ev) const;
    /// The heap whose front is the next event not removed, or nullptr when none is left.
    Slot* next_heap() const;
    /// Moves the wheels on to the next window holding events; false if there is none.
    bool advance_window() const;
    /// Drops removed events from the front of a heap.
    void drop_removed(Slot& heap) const;

    // Finding the next event reorganises the wheels, which PeekNext (const in ns-3's
    // interface) must be able to do: the state is mutable, the order it yields is not.
    mutable std::uint64_t window_ =
        0;                            ///< the near wheel holds time stamps >> kWindowShift == this
    mutable std::size_t cursor_ = 0;  ///< the near slot being run (or the first to look at)
    mutable bool cursor_ordered_ = false;  ///< near_[cursor_] is a heap
    mutable std::vector<Slot> near_ = std::vector<Slot>(kNearSlots);
    mutable std::array<std::uint64_t, kNearSlots / 64> near_used_{};
    mutable std::vector<Slot> far_ = std::vector<Slot>(kFarSlots);
    mutable std::array<std::uint64_t, kFarSlots / 64> far_used_{};
    mutable Slot beyond_;  ///< a heap: past the far wheel
    mutable Slot before_;  ///< a heap: scheduled before the window (after a PeekNext moved it on)
    mutable std::unordered_set<Removed, RemovedHash> removed_;
    std::size_t live_ = 0;  ///< inserted, neither taken nor removed
};

/// Makes the timing wheel the scheduler of the simulator ns-3 creates next, unless the user
/// chose one (NS_GLOBAL_VALUE="SchedulerType=ns3::MapScheduler", as ns-3 documents).
void use_timing_wheel_scheduler();

}  // namespace sessionsim::scenario
