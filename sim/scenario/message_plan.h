// The workload of a scenario as data: which clients are offline, who sends to whom and when, and
// the text that carries each message's id. No ns-3: the simulator schedules this plan on its
// clock (schedule_messages, run_support.h) and the testbed sends the same plan in wall-clock
// time, so both drive the same messages for a scenario and seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/crypto/ed25519.h"
#include "models/crypto/random.h"
#include "sim/scenario/records.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

using crypto::derived_seed;  // the i-th `label`'s key seed (models/crypto/ed25519.h)

/// Messages carry their id in the text so the recipient's copy can be matched to the send.
std::string message_text(std::uint64_t id, std::size_t bytes);
std::optional<std::uint64_t> message_id_of(const std::string& text);

/// workload.offline_fraction of the clients, drawn from their own stream so that the rest of
/// the run is the same with or without them.
std::vector<bool> offline_clients(const Scenario& sc, std::size_t n_clients, std::uint64_t seed);

/// `count` draws of `size` distinct online clients each (group or community members), from
/// `random`. Throws ScenarioError naming `key` if fewer than `size` clients are online.
std::vector<std::vector<std::size_t>> draw_members(const Scenario& sc, const std::string& key,
                                                   std::size_t count, std::size_t size,
                                                   const std::vector<bool>& offline,
                                                   crypto::RandomSource& random);

/// A daily rhythm for the workload: true with probability weight(t) / peak weight, drawing from
/// `random`. A function rather than the behaviour feature itself, which lives on ns-3.
using DiurnalThinning = std::function<bool(double t_s, crypto::RandomSource& random)>;

/// The workload: each online client sends to random other clients (offline ones too) with
/// exponential gaps from the warm-up until workload.send_until_s. Appends one record per message
/// to `messages` (sender by sender, each in time order). With a `daily` rhythm, messages are
/// drawn at the peak rate (1 + behaviour.diurnal_amplitude times the mean) and thinned by it, so
/// the daily mean stays. The testbed sends the same plan.
void plan_messages(const Scenario& sc, const std::vector<bool>& offline, int hops,
                   crypto::RandomSource& random, std::vector<MessageRecord>& messages,
                   const DiurnalThinning& daily = {});

}  // namespace sessionsim::scenario
