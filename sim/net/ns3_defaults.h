// The default value ns-3 holds for an attribute (after any Config::SetDefault), for models
// that reproduce ns-3's behaviour without creating its objects (the message level's TCP).
#pragma once

#include <cstdint>

#include <ns3/abort.h>
#include <ns3/boolean.h>
#include <ns3/double.h>
#include <ns3/integer.h>
#include <ns3/nstime.h>
#include <ns3/type-id.h>
#include <ns3/uinteger.h>

namespace sessionsim::net {

/// `tid`'s attribute `name` as a `Value` (ns-3's UintegerValue, TimeValue, ...); aborts with the
/// attribute's name if it has none of that type, so that an ns-3 upgrade that renames one fails
/// loudly instead of modelling a default that no longer exists.
template <typename Value>
auto ns3_default(ns3::TypeId tid, const char* name) {
    ns3::TypeId::AttributeInformation info;
    NS_ABORT_MSG_UNLESS(tid.LookupAttributeByName(name, &info),
                        "ns-3 has no attribute " << tid.GetName() << "::" << name);
    const auto value = ns3::DynamicCast<const Value>(info.initialValue);
    NS_ABORT_MSG_UNLESS(value, tid.GetName() << "::" << name << " is not of the expected type");
    return value->Get();
}

inline std::uint32_t ns3_default_uinteger(ns3::TypeId tid, const char* name) {
    return static_cast<std::uint32_t>(ns3_default<ns3::UintegerValue>(tid, name));
}

inline ns3::Time ns3_default_time(ns3::TypeId tid, const char* name) {
    return ns3_default<ns3::TimeValue>(tid, name);
}

}  // namespace sessionsim::net
