#include "sim/scenario/event_census.h"

#include <cxxabi.h>

#include <ns3/global-value.h>
#include <ns3/string.h>
#include <memory>
#include <typeindex>
#include <unordered_map>

#include "sim/scenario/timing_wheel_scheduler.h"

namespace sessionsim::scenario {
namespace {

/// Tallies by the event implementation's type (one per lambda; per class and signature for a
/// member function, which ns-3 wraps in one type whatever the member).
std::unordered_map<std::type_index, EventTally>& tallies() {
    static std::unordered_map<std::type_index, EventTally> by_type;
    return by_type;
}

/// The callable inside ns-3's event wrapper: the template arguments of `ns3::MakeEvent<...>`,
/// without the namespaces that every name shares.
std::string readable(const std::type_index& type) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    std::string name = status == 0 ? demangled.get() : type.name();
    if (const auto open = name.find("MakeEvent<"); open != std::string::npos) {
        int depth = 0;
        const auto from = open + std::string("MakeEvent<").size();
        for (auto i = from; i < name.size(); ++i) {
            if (name[i] == '<' || name[i] == '(')
                ++depth;
            else if ((name[i] == '>' || name[i] == ')') && depth-- == 0) {
                name = name.substr(from, i - from);
                break;
            }
        }
    }
    for (const std::string prefix : {"sessionsim::", "ns3::"})
        for (auto at = name.find(prefix); at != std::string::npos; at = name.find(prefix, at))
            name.erase(at, prefix.size());
    return name;
}

class CensusScheduler : public TimingWheelScheduler {
public:
    static ns3::TypeId GetTypeId() {
        static ns3::TypeId tid = ns3::TypeId("sessionsim::CensusScheduler")
                                     .SetParent<TimingWheelScheduler>()
                                     .SetGroupName("Core")
                                     .AddConstructor<CensusScheduler>();
        return tid;
    }

    void Insert(const Event& ev) override {
        ++tallies()[std::type_index(typeid(*ev.impl))].scheduled;
        TimingWheelScheduler::Insert(ev);
    }

    Event RemoveNext() override {
        Event ev = TimingWheelScheduler::RemoveNext();
        if (ev.impl->IsCancelled())
            ++tallies()[std::type_index(typeid(*ev.impl))].cancelled;
        return ev;
    }

    void Remove(const Event& ev) override {
        ++tallies()[std::type_index(typeid(*ev.impl))].cancelled;
        TimingWheelScheduler::Remove(ev);
    }
};

}  // namespace

void start_event_census() {
    tallies().clear();
    CensusScheduler::GetTypeId();  // registers the type name with ns-3
    ns3::GlobalValue::Bind("SchedulerType", ns3::StringValue("sessionsim::CensusScheduler"));
}

std::map<std::string, EventTally> event_census() {
    std::map<std::string, EventTally> by_name;
    for (const auto& [type, tally] : tallies()) {
        auto& sum = by_name[readable(type)];
        sum.scheduled += tally.scheduled;
        sum.cancelled += tally.cancelled;
    }
    return by_name;
}

}  // namespace sessionsim::scenario
