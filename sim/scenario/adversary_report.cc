// The adversary's results: what its nodes and watched links saw, scored against the ground
// truth of every onion request (summary.json's "adversary" block, the console's adversary,
// linkage, relations, storage, links and users lines, and the run table's metadata cells).
// adversary.cc places and records; this file reports.
#include "sim/scenario/adversary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "sim/metrics/anonymity.h"
#include "sim/observe/compromise.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {
namespace {

/// A timing correlator's score as summary.json reports it; the rates are rounded by the caller
/// (the node adversary and the link observer round FPR differently).
nlohmann::ordered_json correlator_json(const observe::LinkageScore& link, double tpr, double fpr,
                                       double precision, double best_guess) {
    return {{"window_s", link.window_s},
            {"true_pairs", link.true_pairs},
            {"called", link.called},
            {"called_true", link.called_true},
            {"tpr", tpr},
            {"fpr", fpr},
            {"precision", precision},
            {"best_guesses", link.guesses},
            {"best_guess_accuracy", best_guess}};
}

}  // namespace

void Adversary::summarize(const SessionRun& run, RunReport& report) {
    report_positions(run.n_clients, run.directory->swarms->ids().size(), report);
    const auto& truth = traced();
    auto users = users_section(truth, report);
    auto links = links_section(truth, report);
    auto& block = report.summary["adversary"];
    block["users"] = users.block;
    block["link_observer"] = links ? links->block : nlohmann::ordered_json(nullptr);
    std::vector<const storage::MessageStore*> stores;
    for (std::size_t i = 0; i < run.n_nodes; ++i) {
        if (runs(i))
            stores.push_back(&run.service_hosts[i].app->Node().store());
    }
    std::map<crypto::Ed25519PublicKey, std::size_t> index_of;
    for (std::size_t i = 0; i < run.n_nodes; ++i)
        index_of[run.service_hosts[i].contact.ed25519] = i;
    const auto storage = storage_section(
        stores, run.messages,
        [&](std::uint64_t swarm) {
            std::size_t n = 0;
            for (const auto& member : run.directory->swarms->members(swarm))
                n += runs(index_of.at(member.ed25519));
            return n;
        },
        report);
    block["storage"] = storage.block;
    report.line("storage", storage.line);
    if (links)
        report.line("links", links->line);
    report.line("users", users.line);
}

Adversary::Section Adversary::storage_section(
    const std::vector<const storage::MessageStore*>& adversary_stores,
    const std::vector<MessageRecord>& messages,
    const std::function<std::size_t(std::uint64_t)>& adversary_members, RunReport& report) const {
    std::set<std::string> held, owners;
    for (const auto* store : adversary_stores) {
        for (const auto* m : store->all()) {
            held.insert(m->hash);
            owners.insert(m->owner.to_hex());
        }
    }
    // A message's replicas: the members of its recipient's swarm that were running at the store.
    // P(at least one of s is malicious), drawing s of N without replacement with m malicious.
    const double n = static_cast<double>(bad_.size()), m = static_cast<double>(count_);
    std::size_t stored = 0, exposed = 0, in_adversary_swarm = 0;
    double expected = 0;
    for (const auto& message : messages) {
        if (message.hash.empty())
            continue;
        ++stored;
        exposed += held.contains(message.hash);
        in_adversary_swarm +=
            message.recipient_swarm && adversary_members(*message.recipient_swarm) > 0;
        double none = 1;
        for (std::size_t i = 0; i < message.swarm_up_at_store; ++i)
            none *= std::max(0.0, (n - m - static_cast<double>(i)) / (n - static_cast<double>(i)));
        expected += 1 - none;
    }
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const double count = static_cast<double>(std::max<std::size_t>(stored, 1));
    const double held_fraction = rounded(static_cast<double>(exposed) / count);
    const double expected_fraction = rounded(expected / count);
    std::ostringstream line;
    line << "its nodes hold " << exposed << " of " << stored << " stored messages ("
         << held_fraction * 100 << "%; expected " << expected_fraction * 100
         << "%, a malicious member in the recipient's swarm), for " << owners.size() << " accounts";
    report.measure("storage_held_fraction", held_fraction);
    return {
        {{"messages_held", held.size()},
         {"accounts_held", owners.size()},
         {"stored_messages", stored},
         {"stored_messages_held", exposed},
         {"held_fraction", held_fraction},
         {"swarm_has_adversary_fraction", rounded(static_cast<double>(in_adversary_swarm) / count)},
         {"expected_held_fraction", expected_fraction}},
        line.str()};
}

void Adversary::report_positions(std::size_t clients, std::size_t swarms, RunReport& report) const {
    std::set<std::uint32_t> client_addresses;
    std::set<std::string> accounts;
    std::size_t layers = 0, as_guard = 0, as_destination = 0;
    for (const auto& [observer, hop] : hops_) {
        if (!runs(observer))
            continue;
        ++layers;
        if (hop.view.from_client) {
            ++as_guard;
            client_addresses.insert(hop.from_ipv4);
        }
        if (hop.view.outcome == node::HopView::Outcome::executed) {
            ++as_destination;
            if (!hop.view.account.empty())
                accounts.insert(hop.view.account);
        }
    }
    const auto& truth = traced();
    std::size_t guard = 0, destination = 0;
    for (const auto& r : truth) {
        guard += runs(r.guard);
        destination += runs(r.destination);
    }
    const auto link = observe::score_linkage(truth, bad_, window_s_);
    const auto relations = observe::score_relationships(
        truth, observe::store_anonymity(truth, bad_, window_s_, clients));
    const auto seen = observe::recipient_exposure(truth, bad_);
    // Mean recipient entropy over the stores: 0 when identified, log2(U/S) when the swarm is
    // known, log2 U when nothing is (uniform over the accounts that fit, §1.3).
    const double u = static_cast<double>(std::max<std::size_t>(clients, 1));
    const double per_swarm =
        std::max(1.0, u / static_cast<double>(std::max<std::size_t>(swarms, 1)));
    const double mean_entropy =
        seen.stores == 0
            ? 0.0
            : (static_cast<double>(seen.swarm_known) *
                   metrics::measure_uniform(per_swarm).entropy_bits +
               static_cast<double>(seen.hidden) * metrics::measure_uniform(u).entropy_bits) /
                  static_cast<double>(seen.stores);
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const auto ratio = [&](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0 : rounded(static_cast<double>(a) / static_cast<double>(b));
    };
    const double n = static_cast<double>(bad_.size());
    const double m = static_cast<double>(count_);
    const double fraction = n > 0 ? m / n : 0.0;
    const double both_ends = ratio(link.positioned, truth.size());
    const double expected_both_ends = n > 1 && m > 1 ? rounded(m * (m - 1) / (n * (n - 1))) : 0.0;
    const double tpr = rounded(link.tpr()), fpr = rounded(link.fpr());
    const double precision = rounded(link.precision());
    const double best_guess = ratio(link.guesses_right, link.guesses);
    const double linkage_rate = ratio(relations.linked, relations.stores);
    const double sender_entropy = rounded(relations.mean_entropy_bits);
    const double sender_degree = rounded(relations.mean_degree);
    const double graph_recovered = ratio(relations.edges_recovered, relations.edges);
    report.summary["adversary"] = {
        {"placement", placement_},
        {"nodes", count_},
        {"fraction", fraction},
        {"layers_observed", layers},
        {"layers_as_guard", as_guard},
        {"requests_executed", as_destination},
        {"client_addresses_seen", client_addresses.size()},
        {"accounts_seen", accounts.size()},
        {"onion_requests",
         {{"total", truth.size()},
          {"guard_malicious", ratio(guard, truth.size())},
          {"destination_malicious", ratio(destination, truth.size())},
          {"guard_and_destination", both_ends},
          {"expected_guard_and_destination", expected_both_ends}}},
        {"recipient_anonymity",
         {{"stores", seen.stores},
          {"identified", seen.identified},
          {"known_up_to_swarm", seen.swarm_known},
          {"hidden", seen.hidden},
          {"mean_entropy_bits", rounded(mean_entropy)},
          {"max_entropy_bits", rounded(std::log2(u))},
          {"degree", u > 1 ? rounded(mean_entropy / std::log2(u)) : 0.0}}},
        {"linkage",
         {{"traced_requests", link.requests},
          {"positioned", link.positioned},
          {"timing_correlator", correlator_json(link, tpr, fpr, precision, best_guess)}}},
        {"relationships",
         {{"stores", relations.stores},
          {"linked", relations.linked},
          {"relationship_linkage_rate", linkage_rate},
          {"mean_sender_set_size", rounded(relations.mean_set_size)},
          {"mean_sender_entropy_bits", sender_entropy},
          {"mean_sender_effective_size", rounded(relations.mean_effective_size)},
          {"mean_sender_min_entropy_bits", rounded(relations.mean_min_entropy_bits)},
          {"sender_degree", sender_degree},
          {"social_graph",
           {{"edges", relations.edges},
            {"recovered", relations.edges_recovered},
            {"fraction", graph_recovered}}}}}};

    std::ostringstream line;
    line << count_ << " nodes (" << placement_ << "), guard for " << client_addresses.size()
         << " client addresses, saw " << accounts.size() << " accounts; guard and destination on "
         << both_ends * 100 << "% of requests (expected " << expected_both_ends * 100 << "%)";
    report.line("adversary", line.str());
    line.str("");
    line << "a " << number_text(link.window_s) << " s timing correlator finds " << link.called_true
         << " of " << link.true_pairs << " positioned requests (TPR " << number_text(tpr)
         << ", FPR " << number_text(fpr) << ", precision " << number_text(precision)
         << "); its best guess names the sender " << best_guess * 100 << "% of the time";
    report.line("linkage", line.str());
    line.str("");
    line << relations.linked << " of " << relations.stores
         << " message stores linked to sender and recipient (" << linkage_rate * 100 << "%), "
         << relations.edges_recovered << " of " << relations.edges
         << " social-graph edges recovered, sender entropy " << number_text(sender_entropy)
         << " bits (degree " << number_text(sender_degree) << ")";
    report.line("relations", line.str());

    report.measure("adversary_fraction", fraction);
    report.measure("guard_and_destination", both_ends);
    report.measure("expected_guard_and_destination", expected_both_ends);
    report.measure("correlation_window_s", link.window_s);
    report.measure("correlator_tpr", tpr);
    report.measure("correlator_fpr", fpr);
    report.measure("correlator_precision", precision);
    report.measure("best_guess_accuracy", best_guess);
    report.measure("relationship_linkage_rate", linkage_rate);
    report.measure("mean_sender_entropy_bits", sender_entropy);
    report.measure("social_graph_recovered", graph_recovered);
}

std::optional<Adversary::Section> Adversary::links_section(
    const std::vector<observe::TrueRequest>& truth, RunReport& report) const {
    if (links_.empty())
        return std::nullopt;
    const auto node = [&](std::size_t n) { return n < node_watched_.size() && node_watched_[n]; };
    // The entry link runs client -> guard; the exit link last relay -> destination. Watching a
    // link gives addresses, times and sizes, never a layer's content: the exit reveals the
    // destination node (so the recipient's swarm), not the account.
    observe::Sightings seen;
    std::size_t entries = 0, exits = 0;
    for (const auto& r : truth) {
        seen.entry.push_back(clients_watched_.contains(r.client_ip) || node(r.guard));
        seen.exit.push_back(node(r.destination) || (r.last_relay && node(*r.last_relay)));
        entries += seen.entry.back();
        exits += seen.exit.back();
    }
    const auto link = observe::score_linkage(truth, seen, window_s_);
    const auto ratio = [](std::size_t a, std::size_t b) {
        return b == 0 ? 0.0
                      : std::round(static_cast<double>(a) / static_cast<double>(b) * 1e6) / 1e6;
    };
    std::size_t nodes = 0;
    for (const bool w : node_watched_)
        nodes += w;
    const double both_ends = ratio(link.positioned, truth.size());
    const double tpr = ratio(link.called_true, link.true_pairs);
    const double fpr = std::round(link.fpr() * 1e9) / 1e9;
    const double precision = ratio(link.called_true, link.called);
    const double best_guess = ratio(link.guesses_right, link.guesses);
    std::ostringstream line;
    line << "watching " << links_ << " links, it saw " << both_ends * 100
         << "% of requests at both ends; its timing correlator: TPR " << number_text(tpr)
         << ", FPR " << number_text(fpr) << ", precision " << number_text(precision)
         << ", best guess right " << best_guess * 100 << "% of the time";
    report.measure("links_both_ends_seen", both_ends);
    report.measure("links_correlator_tpr", tpr);
    report.measure("links_correlator_precision", precision);
    report.measure("links_best_guess_accuracy", best_guess);
    return Section{{{"links", links_},
                    {"service_nodes_on_watched_links", nodes},
                    {"clients_on_watched_links", clients_watched_.size()},
                    {"entries_seen", ratio(entries, truth.size())},
                    {"exits_seen", ratio(exits, truth.size())},
                    {"both_ends_seen", both_ends},
                    {"timing_correlator", correlator_json(link, tpr, fpr, precision, best_guess)}},
                   line.str()};
}

Adversary::Section Adversary::users_section(const std::vector<observe::TrueRequest>& truth,
                                            RunReport& report) const {
    const auto users = observe::user_compromise(truth, bad_);
    const double n = static_cast<double>(bad_.size()), m = static_cast<double>(count_);
    std::size_t compromised = 0;
    double rate = 0, stores = 0;
    std::vector<double> ttfc;  // never-compromised users count as +infinity (censored)
    for (const auto& u : users) {
        compromised += u.first_compromised_at.has_value();
        rate += static_cast<double>(u.compromised) / static_cast<double>(u.stores);
        stores += static_cast<double>(u.stores);
        ttfc.push_back(u.first_compromised_s ? *u.first_compromised_s - u.first_store_s
                                             : std::numeric_limits<double>::infinity());
    }
    std::sort(ttfc.begin(), ttfc.end());
    const auto rounded = [](double x) { return std::round(x * 1e6) / 1e6; };
    const double count = static_cast<double>(std::max<std::size_t>(users.size(), 1));
    std::ostringstream by_count;  // the console's " messages: measured vs expected" list
    nlohmann::ordered_json by_messages = nlohmann::ordered_json::array();
    for (const std::size_t c : {1, 10, 100, 1000, 10000}) {
        std::size_t eligible = 0, hit = 0;
        for (const auto& u : users) {
            if (u.stores < c)
                continue;
            ++eligible;
            hit += u.first_compromised_at && *u.first_compromised_at <= c;
        }
        if (eligible == 0)
            break;
        const double expected =
            path_selection_ == "fresh"
                ? observe::expected_compromised_fresh(n, m, double(c))
                : observe::expected_compromised_guards(n, m, guards_, double(c));
        const double measured = rounded(static_cast<double>(hit) / static_cast<double>(eligible));
        by_messages.push_back({{"messages", c},
                               {"users", eligible},
                               {"compromised_fraction", measured},
                               {"expected", rounded(expected)}});
        by_count << " " << c << ": " << number_text(measured) << " vs "
                 << number_text(rounded(expected));
    }
    const double median =
        ttfc.empty() ? std::numeric_limits<double>::infinity() : ttfc[(ttfc.size() - 1) / 2];
    const double compromised_fraction = rounded(static_cast<double>(compromised) / count);
    const double mean_rate = rounded(rate / count);
    std::ostringstream line;
    line << compromised << " of " << users.size()
         << " users had a message with a malicious guard and destination (" << path_selection_
         << " paths, mean " << number_text(rounded(stores / count))
         << " messages each); by message count, measured vs expected:" << by_count.str();
    report.measure("users_compromised_fraction", compromised_fraction);
    report.measure("mean_compromise_rate", mean_rate);
    return {{{"path_selection", path_selection_},
             {"users", users.size()},
             {"mean_stores", rounded(stores / count)},
             {"compromised", compromised},
             {"compromised_fraction", compromised_fraction},
             {"mean_compromise_rate", mean_rate},
             {"ttfc_median_s", std::isfinite(median) ? nlohmann::ordered_json(rounded(median))
                                                     : nlohmann::ordered_json(nullptr)},
             {"never_compromised", users.size() - compromised},
             {"by_messages", by_messages}},
            line.str()};
}

}  // namespace sessionsim::scenario
