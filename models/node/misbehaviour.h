// What a hostile service node does to the requests it handles: the attacks a client has to
// survive (issue 11). A node carries one plan; each request it could spoil is spoiled with the
// plan's probability (a node that always misbehaves is found out fastest). Honest nodes keep the
// default plan and never draw from their random stream for it.
//
//   drop         relays nothing and answers nothing: the client's request times out
//   delay        holds every layer it relays for delay_ms before passing it on
//   replay       relays each layer, then sends a copy of it again after delay_ms
//   corrupt      flips a byte of every onion layer it relays and every reply it returns
//   malformed    as the destination, answers 200 with a body of the wrong JSON types
//   wrong_swarm  as the destination, answers 421 naming its accomplices as the account's swarm
//   forge_ack    as the destination or a swarm peer, acknowledges a store (with its own
//                signature over the right hash) without storing or copying it anywhere
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/storage/swarm_view.h"

namespace sessionsim::node {

enum class Misbehaviour { none, drop, delay, replay, corrupt, malformed, wrong_swarm, forge_ack };

/// The names used in scenario files ("none", "drop", ...).
std::string_view misbehaviour_name(Misbehaviour kind);
/// Throws InvalidInput listing the known names.
Misbehaviour parse_misbehaviour(std::string_view name);
const std::vector<std::string>& misbehaviour_names();

struct MisbehaviourPlan {
    Misbehaviour kind = Misbehaviour::none;
    double probability = 1.0;   ///< of spoiling each request it could spoil
    std::int64_t delay_ms = 0;  ///< delay: how long a layer is held; replay: when the copy goes
    std::vector<storage::NodeContact> accomplices;  ///< wrong_swarm: the swarm it claims
};

/// What a hostile node did, by kind of act.
struct MisbehaviourCounters {
    std::uint64_t dropped = 0, delayed = 0, replayed = 0, corrupted = 0, malformed = 0,
                  wrong_swarm = 0, forged_acks = 0;
    std::uint64_t total() const {
        return dropped + delayed + replayed + corrupted + malformed + wrong_swarm + forged_acks;
    }
    MisbehaviourCounters& operator+=(const MisbehaviourCounters& o) {
        dropped += o.dropped;
        delayed += o.delayed;
        replayed += o.replayed;
        corrupted += o.corrupted;
        malformed += o.malformed;
        wrong_swarm += o.wrong_swarm;
        forged_acks += o.forged_acks;
        return *this;
    }
};

}  // namespace sessionsim::node
