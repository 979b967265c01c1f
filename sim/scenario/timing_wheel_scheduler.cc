#include "sim/scenario/timing_wheel_scheduler.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string_view>

#include <ns3/event-impl.h>
#include <ns3/global-value.h>
#include <ns3/string.h>
#include <ns3/type-id.h>

namespace sessionsim::scenario {
namespace {

/// The heaps hold their earliest event at the front (std::*_heap builds max-heaps).
bool later(const ns3::Scheduler::Event& a, const ns3::Scheduler::Event& b) {
    return b.key < a.key;
}

std::uint64_t window_of(std::uint64_t ts) {
    return ts >> TimingWheelScheduler::kWindowShift;
}

std::size_t near_slot_of(std::uint64_t ts) {
    return static_cast<std::size_t>(ts >> TimingWheelScheduler::kSlotShift) &
           ((std::size_t{1} << TimingWheelScheduler::kNearBits) - 1);
}

template <std::size_t N>
void set_bit(std::array<std::uint64_t, N>& bits, std::size_t i) {
    bits[i / 64] |= std::uint64_t{1} << (i % 64);
}

template <std::size_t N>
void clear_bit(std::array<std::uint64_t, N>& bits, std::size_t i) {
    bits[i / 64] &= ~(std::uint64_t{1} << (i % 64));
}

/// The first set bit at or after `from`, or N * 64 if none.
template <std::size_t N>
std::size_t first_set_from(const std::array<std::uint64_t, N>& bits, std::size_t from) {
    for (std::size_t word = from / 64; word < N; ++word) {
        std::uint64_t w = bits[word];
        if (word == from / 64)
            w &= ~std::uint64_t{0} << (from % 64);
        if (w != 0)
            return word * 64 + static_cast<std::size_t>(std::countr_zero(w));
    }
    return N * 64;
}

}  // namespace

TimingWheelScheduler::~TimingWheelScheduler() {
    // ns-3 takes every live event before it lets the scheduler go; removed ones may be left.
    const auto release = [this](const Slot& events) {
        for (const auto& ev : events)
            if (removed_.erase({ev.key.m_ts, ev.key.m_uid}) > 0)
                ev.impl->Unref();
    };
    for (const auto* slots : {&near_, &far_})
        for (const auto& events : *slots)
            release(events);
    release(beyond_);
    release(before_);
}

ns3::TypeId TimingWheelScheduler::GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("sessionsim::TimingWheelScheduler")
                                 .SetParent<ns3::Scheduler>()
                                 .SetGroupName("Core")
                                 .AddConstructor<TimingWheelScheduler>();
    return tid;
}

void TimingWheelScheduler::Insert(const Event& ev) {
    ++live_;
    place(ev);
}

void TimingWheelScheduler::place(const Event& ev) const {
    const std::uint64_t window = window_of(ev.key.m_ts);
    if (window < window_) {
        before_.push_back(ev);
        std::push_heap(before_.begin(), before_.end(), later);
    } else if (window == window_) {
        const std::size_t slot = near_slot_of(ev.key.m_ts);
        auto& events = near_[slot];
        events.push_back(ev);
        set_bit(near_used_, slot);
        if (slot == cursor_ && cursor_ordered_) {
            std::push_heap(events.begin(), events.end(), later);
        } else if (slot < cursor_) {
            // Only after a PeekNext looked ahead: the slot left keeps its events, unordered.
            cursor_ = slot;
            cursor_ordered_ = false;
        }
    } else if (window - window_ < kFarSlots) {
        const std::size_t slot = static_cast<std::size_t>(window) & (kFarSlots - 1);
        far_[slot].push_back(ev);
        set_bit(far_used_, slot);
    } else {
        beyond_.push_back(ev);
        std::push_heap(beyond_.begin(), beyond_.end(), later);
    }
}

void TimingWheelScheduler::drop_removed(Slot& heap) const {
    // ns-3 cancels what it removes, so a live event (nearly all) is told apart without a lookup.
    while (!heap.empty() && heap.front().impl->IsCancelled() && !removed_.empty()) {
        const auto it = removed_.find({heap.front().key.m_ts, heap.front().key.m_uid});
        if (it == removed_.end())
            return;  // cancelled, not removed: ns-3 takes it (and counts it) without running it
        removed_.erase(it);
        heap.front().impl->Unref();  // the reference Remove kept
        std::pop_heap(heap.begin(), heap.end(), later);
        heap.pop_back();
    }
}

bool TimingWheelScheduler::advance_window() const {
    std::uint64_t next = 0;
    bool found = false;
    // The far wheel's slots hold windows window_ + 1 ... window_ + kFarSlots - 1, in a ring.
    const std::size_t start = static_cast<std::size_t>(window_ + 1) & (kFarSlots - 1);
    for (const auto& [from, to] : {std::pair{start, kFarSlots}, std::pair{std::size_t{0}, start}}) {
        const std::size_t slot = first_set_from(far_used_, from);
        if (slot < to) {
            next = window_ + 1 + ((slot - start) & (kFarSlots - 1));
            found = true;
            break;
        }
    }
    if (!found) {
        if (beyond_.empty())
            return false;
        next = window_of(beyond_.front().key.m_ts);
    }
    window_ = next;
    cursor_ = 0;
    cursor_ordered_ = false;
    const std::size_t far_slot = static_cast<std::size_t>(next) & (kFarSlots - 1);
    Slot arriving;
    arriving.swap(far_[far_slot]);
    clear_bit(far_used_, far_slot);
    for (const auto& ev : arriving)
        place(ev);
    while (!beyond_.empty() && window_of(beyond_.front().key.m_ts) - window_ < kFarSlots) {
        std::pop_heap(beyond_.begin(), beyond_.end(), later);
        const Event ev = beyond_.back();
        beyond_.pop_back();
        place(ev);
    }
    return true;
}

TimingWheelScheduler::Slot* TimingWheelScheduler::next_heap() const {
    if (live_ == 0)
        return nullptr;
    for (;;) {
        drop_removed(before_);
        if (!before_.empty())
            return &before_;
        const std::size_t slot = first_set_from(near_used_, cursor_);
        if (slot == kNearSlots) {
            if (!advance_window())
                return nullptr;
            continue;
        }
        auto& events = near_[slot];
        if (slot != cursor_ || !cursor_ordered_) {
            cursor_ = slot;
            cursor_ordered_ = true;
            std::make_heap(events.begin(), events.end(), later);
        }
        drop_removed(events);
        if (!events.empty())
            return &events;
        clear_bit(near_used_, slot);
        if (events.capacity() > 4096)
            Slot{}.swap(events);  // a burst's storage is not kept for the rest of the run
    }
}

bool TimingWheelScheduler::IsEmpty() const {
    return live_ == 0;
}

ns3::Scheduler::Event TimingWheelScheduler::PeekNext() const {
    return next_heap()->front();
}

ns3::Scheduler::Event TimingWheelScheduler::RemoveNext() {
    Slot& heap = *next_heap();
    std::pop_heap(heap.begin(), heap.end(), later);
    const Event ev = heap.back();
    heap.pop_back();
    --live_;
    return ev;
}

void TimingWheelScheduler::Remove(const Event& ev) {
    // Kept alive until it comes up, so that its cancelled flag can still be read then.
    ev.impl->Ref();
    removed_.insert({ev.key.m_ts, ev.key.m_uid});
    --live_;
}

void use_timing_wheel_scheduler() {
    if (const char* chosen = std::getenv("NS_GLOBAL_VALUE");
        chosen != nullptr &&
        std::string_view(chosen).find("SchedulerType") != std::string_view::npos)
        return;
    // A scheduler bound already (the event census's, or one a program chose) stays.
    ns3::TypeIdValue bound;
    ns3::GlobalValue::GetValueByName("SchedulerType", bound);
    if (bound.Get().GetName() != "ns3::MapScheduler")
        return;
    TimingWheelScheduler::GetTypeId();  // registers the type name with ns-3
    ns3::GlobalValue::Bind("SchedulerType", ns3::StringValue("sessionsim::TimingWheelScheduler"));
}

}  // namespace sessionsim::scenario
