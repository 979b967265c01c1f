// Which swarm members a poll asks. Desktop draws a fresh random sample each poll; the phones
// drain the swarm: members in a shuffled order without replacement, each kept for a number of
// polls (Android SwarmSnodeSelector: a new one every poll; iOS SwarmDrainer limitedReuse: 6),
// the order reshuffled once every member has served.
#pragma once

#include <map>
#include <vector>

#include "models/client/client_config.h"
#include "models/client/node_pool.h"
#include "models/crypto/random.h"
#include "models/identity/account_id.h"

namespace sessionsim::client {

class PollTargets {
public:
    PollTargets(ClientConfig::PollNodeChoice choice, std::size_t nodes, int reuse)
        : choice_(choice), nodes_(nodes), reuse_(reuse < 1 ? 1 : reuse) {}

    /// The members of `account`'s swarm to ask now (at most `nodes`), from `members` (the
    /// usable cached swarm). Counts this poll against each chosen member's reuse.
    std::vector<NodeInfo> choose(const identity::AccountId& account,
                                 const std::vector<NodeInfo>& members,
                                 crypto::RandomSource& random);

private:
    struct Serving {
        NodeInfo node;
        int polls_left = 0;
    };
    struct Drain {
        std::vector<NodeInfo> queue;  ///< still to serve this round, next at the back
        std::vector<Serving> serving;
    };

    ClientConfig::PollNodeChoice choice_;
    std::size_t nodes_;
    int reuse_;
    std::map<identity::AccountId, Drain> drains_;
};

}  // namespace sessionsim::client
