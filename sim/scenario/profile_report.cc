#include "sim/scenario/profile_report.h"

#include "models/client/profiles.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace sessionsim::scenario {

std::vector<ProfileFigures> measure_profiles(const std::vector<std::string>& profiles,
                                             const std::vector<const client::Client*>& clients,
                                             const std::vector<MessageRecord>& messages,
                                             const std::vector<RequestRow>& requests,
                                             double duration_s) {
    // In client_profile_names() order, whatever order the clients were dealt in.
    std::vector<ProfileFigures> out;
    std::map<std::string, std::size_t> index;
    for (const auto& name : client::client_profile_names()) {
        if (std::find(profiles.begin(), profiles.end(), name) != profiles.end()) {
            index.emplace(name, out.size());
            out.push_back({.profile = name});
        }
    }
    struct Samples {
        std::vector<double> rtt, delay;
        std::uint64_t requests = 0, polls = 0;
    };
    std::vector<Samples> samples(out.size());
    for (std::size_t c = 0; c < clients.size() && c < profiles.size(); ++c) {
        const std::size_t i = index.at(profiles[c]);
        auto& f = out[i];
        const auto& n = clients[c]->counters();
        ++f.clients;
        samples[i].requests += n.requests;
        samples[i].polls += n.polls;
        f.request_timeouts += n.timeouts;
        f.polls_failed += n.polls_failed;
        f.guard_tests += n.guard_tests;
        f.guard_tests_failed += n.guard_tests_failed;
        f.sync_stored += n.sync_stored;
        f.pool_refreshes += n.pool_refreshes;
        f.paths_built += clients[c]->paths().paths_built();
        f.paths_dropped += clients[c]->paths().paths_dropped();
        f.paths_rotated += clients[c]->paths().paths_rotated();
    }
    for (const auto& r : requests) {
        if (r.probe || r.hops == 0 || r.status != 200 || r.client >= profiles.size())
            continue;
        samples[index.at(profiles[r.client])].rtt.push_back((r.end_s - r.start_s) * 1000);
    }
    for (const auto& m : messages) {
        if (m.sender < profiles.size())
            ++out[index.at(profiles[m.sender])].messages_sent;
        if (m.recipient >= profiles.size())
            continue;
        const std::size_t i = index.at(profiles[m.recipient]);
        ++out[i].messages_received;
        if (m.delivered_s) {
            ++out[i].messages_delivered;
            samples[i].delay.push_back((*m.delivered_s - m.sent_s) * 1000);
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].onion_rtt_ms = distribution_of(samples[i].rtt);
        out[i].delivery_delay_ms = distribution_of(samples[i].delay);
        out[i].requests_per_client_hour =
            per_client_hour(samples[i].requests, out[i].clients, duration_s);
        out[i].polls_per_client_hour =
            per_client_hour(samples[i].polls, out[i].clients, duration_s);
    }
    return out;
}

nlohmann::ordered_json ProfileFigures::to_json() const {
    return {{"clients", clients},
            {"messages_sent", messages_sent},
            {"messages_received", messages_received},
            {"messages_delivered", messages_delivered},
            {"onion_rtt_ms", onion_rtt_ms.to_json()},
            {"delivery_delay_ms", delivery_delay_ms.to_json()},
            {"requests_per_client_hour", requests_per_client_hour},
            {"polls_per_client_hour", polls_per_client_hour},
            {"request_timeouts", request_timeouts},
            {"polls_failed", polls_failed},
            {"paths_built", paths_built},
            {"paths_dropped", paths_dropped},
            {"paths_rotated", paths_rotated},
            {"guard_tests", guard_tests},
            {"guard_tests_failed", guard_tests_failed},
            {"sync_copies_stored", sync_stored},
            {"pool_refreshes", pool_refreshes}};
}

void report_profiles(const std::vector<ProfileFigures>& figures, RunReport& report) {
    if (std::all_of(figures.begin(), figures.end(),
                    [](const ProfileFigures& f) { return f.profile == "composite"; }))
        return;
    auto& block = report.summary["profiles"];
    block = nlohmann::ordered_json::object();
    for (const auto& f : figures) {
        block[f.profile] = f.to_json();
        std::ostringstream text;
        text << f.clients << " clients, onion RTT p50 " << ms_text(f.onion_rtt_ms.p50)
             << ", delivery p50 " << ms_text(f.delivery_delay_ms.p50) << ", "
             << f.requests_per_client_hour << " requests per client per hour";
        report.line("profile " + f.profile, text.str());
    }
}

}  // namespace sessionsim::scenario
