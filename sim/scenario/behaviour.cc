#include "sim/scenario/behaviour.h"

#include <cmath>
#include <numbers>

#include <ns3/simulator.h>

#include "sim/scenario/poisson.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

DailyBehaviour::DailyBehaviour(const Scenario& sc, std::uint64_t seed)
    : active_(sc.text("behaviour.model") == "daily"),
      random_(seed, "behaviour"),
      sessions_per_day_(sc.number("behaviour.sessions_per_day")),
      session_minutes_(sc.number("behaviour.session_minutes")),
      peak_hour_(sc.number("behaviour.peak_hour")),
      amplitude_(sc.number("behaviour.diurnal_amplitude")),
      duration_(sc.number("duration_s")) {}

double DailyBehaviour::weight(double t_s) const {
    const double hour = std::fmod(t_s / 3600, 24);
    return 1 + amplitude_ * std::cos(2 * std::numbers::pi * (hour - peak_hour_) / 24);
}

bool DailyBehaviour::accept(double t_s, crypto::RandomSource& random) const {
    return random.unit() * (1 + amplitude_) < weight(t_s);
}

void DailyBehaviour::schedule(SessionRun& run) {
    const auto& clients = run.clients;
    const auto& offline = run.offline;
    auto& random = random_;
    clients_ = clients;
    open_sessions_.assign(clients.size(), 0);
    const double peak_gap = 86400 / (sessions_per_day_ * (1 + amplitude_));
    for (std::size_t c = 0; c < clients.size(); ++c) {
        clients[c]->SetForeground(false);
        if (offline[c])
            continue;
        poisson_arrivals(random, 0, peak_gap, duration_, [&](double t) {
            if (!accept(t, random))
                return;
            const double minutes = exponential(random, session_minutes_);
            ns3::Simulator::Schedule(ns3::Seconds(t), [this, c, minutes] { open(c, minutes); });
        });
    }
}

bool DailyBehaviour::on_send(SessionRun&, std::size_t sender, std::size_t, std::uint64_t) {
    open(sender, exponential(random_, session_minutes_));
    return false;
}

void DailyBehaviour::summarize(const SessionRun&, RunReport& report) {
    report.summary["clients"]["app_sessions"] = sessions_;
}

void DailyBehaviour::open(std::size_t client, double minutes) {
    ++sessions_;
    if (open_sessions_[client]++ == 0)
        clients_[client]->SetForeground(true);
    ns3::Simulator::Schedule(ns3::Seconds(minutes * 60), [this, client] {
        if (--open_sessions_[client] == 0)
            clients_[client]->SetForeground(false);
    });
}

}  // namespace sessionsim::scenario
