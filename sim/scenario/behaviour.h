// How people use the app over a day (behaviour.model = "daily"): they open it a number of times
// a day, more in the evening than at night, keep it open a few minutes, and send when it is
// open; the rest of the time it is in the background (push, or background polling, per
// client.mode). No public data gives Session's own usage, so the default shape is an
// assumption, documented in the schema: 24 sessions a day of 4 minutes on average, and a rate
// that follows 1 + A cos(2 pi (hour - peak) / 24) with A = 0.8 and the peak at 20:00 (UTC, as
// the simulation clock starts at midnight).
#pragma once

#include <cstdint>
#include <vector>

#include <ns3/ptr.h>

#include "models/crypto/random.h"
#include "sim/apps/client_app.h"
#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class DailyBehaviour : public Feature {
public:
    /// Draws from its own stream ("behaviour"): the app sessions first, then one at each send.
    DailyBehaviour(const Scenario& sc, std::uint64_t seed);
    std::string_view name() const override { return "daily behaviour"; }
    bool active() const override { return active_; }

    /// Relative activity at simulated time t (1 on average over a day).
    double weight(double t_s) const;
    /// True with probability weight(t) / max weight: thins a Poisson process at the peak rate
    /// into the diurnal one.
    bool accept(double t_s, crypto::RandomSource& random) const;

    /// Puts every client in the background and schedules its app sessions.
    void schedule(SessionRun& run) override;
    /// The user opens the app now, to write, for one session; the message is sent as usual.
    bool on_send(SessionRun& run, std::size_t sender, std::size_t recipient,
                 std::uint64_t id) override;
    /// clients.app_sessions: how many times the apps were opened.
    void summarize(const SessionRun& run, RunReport& report) override;

private:
    void open(std::size_t client, double minutes);

    bool active_;
    crypto::SeededRandom random_;
    double sessions_per_day_, session_minutes_, peak_hour_, amplitude_, duration_;
    std::vector<ns3::Ptr<apps::ClientApp>> clients_;
    std::vector<int> open_sessions_;
    std::uint64_t sessions_ = 0;
};

}  // namespace sessionsim::scenario
