#include "models/client/poll_targets.h"

#include <algorithm>

namespace sessionsim::client {
namespace {

bool contains(const std::vector<NodeInfo>& nodes, const crypto::Ed25519PublicKey& key) {
    return std::any_of(nodes.begin(), nodes.end(),
                       [&](const NodeInfo& n) { return n.ed25519 == key; });
}

}  // namespace

std::vector<NodeInfo> PollTargets::choose(const identity::AccountId& account,
                                          const std::vector<NodeInfo>& members,
                                          crypto::RandomSource& random) {
    if (choice_ == ClientConfig::PollNodeChoice::random_sample) {
        std::vector<NodeInfo> chosen = members;
        random.shuffle(std::span(chosen));
        chosen.resize(std::min(chosen.size(), nodes_));
        return chosen;
    }
    Drain& d = drains_[account];
    // A member that left the swarm (struck off, or a new swarm learnt) stops serving.
    std::erase_if(d.serving, [&](const Serving& s) {
        return s.polls_left <= 0 || !contains(members, s.node.ed25519);
    });
    while (d.serving.size() < std::min(nodes_, members.size())) {
        if (d.queue.empty()) {  // a new round: every member not serving, in a new order
            for (const auto& m : members) {
                if (std::none_of(d.serving.begin(), d.serving.end(),
                                 [&](const Serving& s) { return s.node.ed25519 == m.ed25519; }))
                    d.queue.push_back(m);
            }
            random.shuffle(std::span(d.queue));
            if (d.queue.empty())
                break;
        }
        const NodeInfo next = d.queue.back();
        d.queue.pop_back();
        if (contains(members, next.ed25519))
            d.serving.push_back({next, reuse_});
    }
    std::vector<NodeInfo> chosen;
    for (auto& s : d.serving) {
        --s.polls_left;
        chosen.push_back(s.node);
    }
    return chosen;
}

}  // namespace sessionsim::client
