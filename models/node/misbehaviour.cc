#include "models/node/misbehaviour.h"

#include <algorithm>

#include "models/common/errors.h"

namespace sessionsim::node {

namespace {
constexpr std::pair<Misbehaviour, std::string_view> kNames[] = {
    {Misbehaviour::none, "none"},
    {Misbehaviour::drop, "drop"},
    {Misbehaviour::delay, "delay"},
    {Misbehaviour::replay, "replay"},
    {Misbehaviour::corrupt, "corrupt"},
    {Misbehaviour::malformed, "malformed"},
    {Misbehaviour::wrong_swarm, "wrong_swarm"},
    {Misbehaviour::forge_ack, "forge_ack"},
};
}  // namespace

std::string_view misbehaviour_name(Misbehaviour kind) {
    for (const auto& [k, name] : kNames) {
        if (k == kind)
            return name;
    }
    return "none";
}

const std::vector<std::string>& misbehaviour_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [k, name] : kNames)
            out.emplace_back(name);
        return out;
    }();
    return names;
}

Misbehaviour parse_misbehaviour(std::string_view name) {
    for (const auto& [k, n] : kNames) {
        if (n == name)
            return k;
    }
    std::string known;
    for (const auto& n : misbehaviour_names())
        known += (known.empty() ? "" : ", ") + n;
    throw InvalidInput("unknown misbehaviour '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace sessionsim::node
