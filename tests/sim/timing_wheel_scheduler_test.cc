// The timing-wheel scheduler against ns-3's MapScheduler: the same events, the same order.
#include "sim/scenario/timing_wheel_scheduler.h"

#include <gtest/gtest.h>

#include <ns3/core-module.h>
#include <ns3/map-scheduler.h>
#include <random>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sessionsim::scenario {
namespace {

using Event = ns3::Scheduler::Event;
using Key = std::pair<std::uint64_t, std::uint32_t>;

constexpr std::uint64_t kNearSlot = std::uint64_t{1} << TimingWheelScheduler::kSlotShift;
constexpr std::uint64_t kWindow = std::uint64_t{1} << TimingWheelScheduler::kWindowShift;
constexpr std::uint64_t kFarWheel = kWindow << TimingWheelScheduler::kFarBits;

/// Drives two schedulers as ns-3's simulator does (time never goes back; a removed event is
/// cancelled and released right after Remove) and records what each hands out.
class Pair {
public:
    Pair()
        : wheel_(ns3::CreateObject<TimingWheelScheduler>()),
          map_(ns3::CreateObject<ns3::MapScheduler>()) {}

    void insert(std::uint64_t delay) {
        Event ev{ns3::MakeEvent([] {}), {now_ + delay, ++uid_, 0}};
        ev.impl->Ref();  // one reference per scheduler, as each would hold ns-3's one
        wheel_->Insert(ev);
        map_->Insert(ev);
        index_[ev.key.m_uid] = pending_.size();
        pending_.push_back(ev);
    }

    /// Simulator::Remove: the scheduler lets go, then ns-3 cancels the event and drops its
    /// reference.
    void remove(std::size_t which) {
        const Event ev = pending_[which];
        forget(which);
        wheel_->Remove(ev);
        map_->Remove(ev);
        ev.impl->Cancel();
        ev.impl->Unref();
        ev.impl->Unref();
    }

    /// EventId::Cancel: the event stays filed and is handed out, not run.
    void cancel(std::size_t which) { pending_[which].impl->Cancel(); }

    void peek() {
        ASSERT_EQ(wheel_->IsEmpty(), map_->IsEmpty());
        if (map_->IsEmpty())
            return;
        EXPECT_EQ(wheel_->PeekNext().key.m_uid, map_->PeekNext().key.m_uid);
    }

    bool take() {
        EXPECT_EQ(wheel_->IsEmpty(), map_->IsEmpty());
        if (map_->IsEmpty())
            return false;
        const Event a = wheel_->RemoveNext(), b = map_->RemoveNext();
        EXPECT_EQ(Key(a.key.m_ts, a.key.m_uid), Key(b.key.m_ts, b.key.m_uid));
        EXPECT_EQ(a.impl, b.impl);
        order_.emplace_back(b.key.m_ts, b.key.m_uid);
        now_ = b.key.m_ts;
        forget(index_.at(b.key.m_uid));
        b.impl->Unref();
        b.impl->Unref();
        return true;
    }

    std::size_t pending() const { return pending_.size(); }
    const std::vector<Key>& order() const { return order_; }

private:
    void forget(std::size_t which) {
        index_.erase(pending_[which].key.m_uid);
        if (which + 1 != pending_.size()) {
            pending_[which] = pending_.back();
            index_[pending_[which].key.m_uid] = which;
        }
        pending_.pop_back();
    }

    ns3::Ptr<TimingWheelScheduler> wheel_;
    ns3::Ptr<ns3::MapScheduler> map_;
    std::uint64_t now_ = 0;
    std::uint32_t uid_ = 0;
    std::vector<Event> pending_;
    std::unordered_map<std::uint32_t, std::size_t> index_;  ///< uid -> place in pending_
    std::vector<Key> order_;
};

TEST(TimingWheelScheduler, HandsOutMapSchedulersOrderForEveryKindOfDelay) {
    std::mt19937_64 random(7);
    // Ties, the same near slot, the near wheel, the far wheel, past it (the beyond heap), and
    // the exact edges between them.
    const std::vector<std::uint64_t> edges = {
        0,       1,           kNearSlot - 1, kNearSlot, kWindow - 1,
        kWindow, kWindow + 1, kFarWheel - 1, kFarWheel, kFarWheel + kWindow};
    Pair pair;
    std::size_t removed = 0, cancelled = 0;
    for (int step = 0; step < 200'000; ++step) {
        const auto roll = random() % 100;
        if (roll < 45) {
            std::uint64_t delay = 0;
            switch (random() % 6) {
                case 0:
                    delay = edges[random() % edges.size()];
                    break;
                case 1:
                    delay = random() % kNearSlot;
                    break;
                case 2:
                    delay = random() % kWindow;
                    break;
                case 3:
                    delay = random() % kFarWheel;
                    break;
                case 4:
                    delay = random() % (4 * kFarWheel);
                    break;
                default:
                    delay = (random() % 4) * kNearSlot;
                    break;  // ties within a slot
            }
            pair.insert(delay);
        } else if (roll < 52 && pair.pending() > 0) {
            pair.remove(random() % pair.pending());
            ++removed;
        } else if (roll < 55 && pair.pending() > 0) {
            pair.cancel(random() % pair.pending());
            ++cancelled;
        } else if (roll < 62) {
            // PeekNext may move the wheel on; what is inserted after it must still come first.
            pair.peek();
            pair.insert(random() % 2 == 0 ? 0 : random() % kNearSlot);
        } else {
            pair.take();
        }
        if (::testing::Test::HasFailure())
            FAIL() << "at step " << step;
    }
    while (pair.take()) {
    }
    EXPECT_GT(removed, 10'000u);
    EXPECT_GT(cancelled, 4'000u);
    EXPECT_GT(pair.order().size(), 50'000u);
    EXPECT_TRUE(std::is_sorted(pair.order().begin(), pair.order().end()));
}

/// Through ns-3's simulator, as every run uses it: removed events never run, cancelled ones are
/// counted and not run, and the event count matches ns-3's own scheduler.
std::pair<std::vector<int>, std::uint64_t> run_with(const std::string& scheduler) {
    ns3::Simulator::Destroy();
    ns3::GlobalValue::Bind("SchedulerType", ns3::StringValue(scheduler));
    std::vector<int> ran;
    std::vector<ns3::EventId> ids;
    for (int i = 0; i < 400; ++i) {
        const auto at = ns3::NanoSeconds((i * 7919) % 1000 * 37'000'000LL + (i % 3));
        ids.push_back(ns3::Simulator::Schedule(at, [&ran, i] { ran.push_back(i); }));
    }
    for (int i = 0; i < 400; i += 5)
        ns3::Simulator::Remove(ids[static_cast<std::size_t>(i)]);
    for (int i = 1; i < 400; i += 7)
        ids[static_cast<std::size_t>(i)].Cancel();
    // Events that schedule and remove others as they run.
    ns3::Simulator::Schedule(ns3::Seconds(3), [&] {
        const auto late =
            ns3::Simulator::Schedule(ns3::Seconds(100), [&ran] { ran.push_back(-1); });
        ns3::Simulator::Schedule(ns3::Seconds(1), [late] { ns3::Simulator::Remove(late); });
        ns3::Simulator::Schedule(ns3::Hours(6), [&ran] { ran.push_back(-2); });
    });
    ns3::Simulator::Run();
    const auto events = ns3::Simulator::GetEventCount();
    ns3::Simulator::Destroy();
    ns3::GlobalValue::Bind("SchedulerType", ns3::StringValue("ns3::MapScheduler"));
    return {ran, events};
}

TEST(TimingWheelScheduler, RunsWhatNs3sSchedulerRunsAndCountsTheSameEvents) {
    const auto [map_ran, map_events] = run_with("ns3::MapScheduler");
    TimingWheelScheduler::GetTypeId();
    const auto [wheel_ran, wheel_events] = run_with("sessionsim::TimingWheelScheduler");
    EXPECT_EQ(wheel_ran, map_ran);
    EXPECT_EQ(wheel_events, map_events);
    EXPECT_EQ(map_ran.size(), 400u - 80u - 46u + 1u);  // 80 removed, 46 cancelled, -2 ran
    EXPECT_EQ(map_ran.back(), -2);
}

}  // namespace
}  // namespace sessionsim::scenario
