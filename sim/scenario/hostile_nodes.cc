#include "sim/scenario/hostile_nodes.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

namespace {
/// A 421 names a swarm: at most this many nodes (Session swarms hold 5 to 7; 10 at most).
constexpr std::size_t kClaimedSwarmSize = 7;

nlohmann::ordered_json acts_json(const node::MisbehaviourCounters& c) {
    return {{"dropped", c.dropped},         {"delayed", c.delayed},
            {"replayed", c.replayed},       {"corrupted", c.corrupted},
            {"malformed", c.malformed},     {"wrong_swarm", c.wrong_swarm},
            {"forged_acks", c.forged_acks}, {"total", c.total()}};
}
}  // namespace

HostileNodes::HostileNodes(const Scenario& sc, std::size_t n_initial, std::uint64_t seed) {
    crypto::SeededRandom random(seed, "hostile");
    plan_.kind = node::parse_misbehaviour(sc.text("hostile.behaviour"));
    plan_.probability = sc.number("hostile.probability");
    plan_.delay_ms = static_cast<std::int64_t>(std::llround(sc.number("hostile.delay_s") * 1000));
    const auto count =
        static_cast<std::size_t>(std::llround(sc.number("hostile.fraction") * n_initial));
    std::vector<std::size_t> all(n_initial);
    for (std::size_t i = 0; i < n_initial; ++i)
        all[i] = i;
    random.shuffle(std::span(all));
    indices_.assign(all.begin(), all.begin() + static_cast<long>(std::min(count, n_initial)));
    std::sort(indices_.begin(), indices_.end());
}

void HostileNodes::install(SessionRun& run) {
    const auto& apps = run.node_apps;
    const auto& contacts = run.contacts;
    for (std::size_t k = 0; k < indices_.size() && plan_.accomplices.size() < kClaimedSwarmSize;
         ++k)
        plan_.accomplices.push_back(contacts[indices_[k]]);
    for (const auto i : indices_) {
        apps[i]->SetMisbehaviour(plan_);
        keys_.insert(contacts[i].ed25519);
    }
}

void HostileNodes::on_direct_stored(SessionRun&, MessageRecord& m,
                                    const client::MessageStored& stored) {
    m.acked_by_hostile = contains(stored.acked_by);
}

void HostileNodes::summarize(const SessionRun& run, RunReport& report) {
    const auto& apps = run.node_apps;
    const auto& messages = run.messages;
    node::MisbehaviourCounters acts;
    for (const auto i : indices_)
        acts += apps[i]->Misdeeds();
    std::uint64_t acked = 0, delivered = 0, lost = 0;
    for (const auto& m : messages) {
        if (!m.acked_by_hostile)
            continue;
        ++acked;
        delivered += m.delivered_s.has_value();
        lost += m.fate.rfind("lost", 0) == 0;
    }
    const auto& costs = run.client_costs;
    const nlohmann::ordered_json clients{{"request_timeouts", costs.request_timeouts},
                                         {"paths_dropped", costs.paths_dropped},
                                         {"wrong_swarm_replies", costs.wrong_swarm_replies},
                                         {"bad_replies", costs.bad_replies},
                                         {"acks_rejected", costs.acks_rejected}};
    report.summary["hostile"] = {{"behaviour", std::string(node::misbehaviour_name(plan_.kind))},
                                 {"nodes", indices_.size()},
                                 {"probability", plan_.probability},
                                 {"acts", acts_json(acts)},
                                 {"clients_saw", clients},
                                 {"messages_acked_by_hostile",
                                  {{"count", acked}, {"delivered", delivered}, {"lost", lost}}}};
    report.count("hostile_acts", acts.total());
    report.count("acked_by_hostile", acked);
    report.count("acked_by_hostile_lost", lost);
}

void HostileNodes::write(const SessionRun& run, const std::filesystem::path& dir) const {
    const auto& apps = run.node_apps;
    std::ofstream out(dir / "hostile_nodes.csv");
    out << "node,behaviour,dropped,delayed,replayed,corrupted,malformed,wrong_swarm,forged_acks,"
           "onion_requests\n";
    for (const auto i : indices_) {
        const auto c = apps[i]->Misdeeds();
        out << i << ',' << node::misbehaviour_name(plan_.kind) << ',' << c.dropped << ','
            << c.delayed << ',' << c.replayed << ',' << c.corrupted << ',' << c.malformed << ','
            << c.wrong_swarm << ',' << c.forged_acks << ','
            << apps[i]->Node().counters().onion_requests << '\n';
    }
}

}  // namespace sessionsim::scenario
