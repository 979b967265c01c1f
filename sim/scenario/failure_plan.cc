#include "sim/scenario/failure_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sessionsim::scenario {

namespace {

/// churn.outage_group -> each host's group label and the label to fail.
std::pair<std::vector<std::string>, std::string> outage_group(
    const Scenario& sc, const std::vector<net::PlacedHost>& hosts) {
    const std::string& spec = sc.text("churn.outage_group");
    std::vector<std::string> labels(hosts.size());
    if (spec == "all")
        return {labels, ""};
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string name = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (colon == std::string::npos || (kind != "provider" && kind != "country") || name.empty())
        throw ScenarioError(sc.source() + ": churn.outage_group: '" + spec +
                            "' is not \"all\", \"provider:<name>\" or \"country:<CC>\"");
    std::set<std::string> known;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        labels[i] = kind == "provider" ? hosts[i].provider : hosts[i].location.country;
        known.insert(labels[i]);
    }
    if (!known.count(name)) {
        std::string list;
        for (const auto& k : known) {
            if (kind == "country" || k.rfind("local-", 0) != 0)
                list += (list.empty() ? "" : ", ") + k;
        }
        throw ScenarioError(sc.source() + ": churn.outage_group: no service node in " + kind +
                            " '" + name + "' (present: " + list + ")");
    }
    return {labels, name};
}

}  // namespace

std::vector<churn::Outage> failure_plan(const Scenario& sc,
                                        const std::vector<net::PlacedHost>& hosts,
                                        crypto::RandomSource& random) {
    const double duration = sc.number("duration_s");
    const std::size_t n = hosts.size();
    std::vector<churn::Outage> all;
    const auto add = [&all](std::vector<churn::Outage> more) {
        all.insert(all.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    };
    const std::string& model = sc.text("churn.model");
    if (model == "exponential") {
        add(churn::on_off_outages(n, churn::Exponential{sc.number("churn.up_mean_s")},
                                  churn::Exponential{sc.number("churn.down_mean_s")}, duration,
                                  random));
    } else if (model == "weibull") {
        add(churn::on_off_outages(
            n, churn::Weibull{sc.number("churn.up_shape"), sc.number("churn.up_scale_s")},
            churn::Weibull{sc.number("churn.down_shape"), sc.number("churn.down_scale_s")},
            duration, random));
    } else if (model == "trace") {
        if (sc.text("churn.trace_file").empty())
            throw ScenarioError(sc.source() + ": churn.trace_file: required by model = \"trace\"");
        try {
            add(churn::trace_outages(sc.text("churn.trace_file"), n));
        } catch (const std::runtime_error& e) {
            throw ScenarioError(sc.source() + ": churn.trace_file: " + e.what());
        }
    }
    if (const double mean = sc.number("churn.lifetime_mean_s"); mean > 0) {
        const churn::Lifetime life(churn::Exponential{mean});
        for (std::size_t i = 0; i < n; ++i) {
            if (const double death = life.sample(random); death < duration)
                all.push_back({i, death, churn::kNever, "exit"});
        }
    }
    if (const double f = sc.number("churn.exit_fraction"); f > 0)
        add(churn::permanent_exits(n, f, duration, random));
    if (!sc.text("churn.outage_group").empty()) {
        const auto [labels, name] = outage_group(sc, hosts);
        add(churn::group_outage(labels, name, sc.number("churn.outage_fraction"),
                                sc.number("churn.outage_at_s"),
                                sc.number("churn.outage_duration_s"), random));
    }
    return churn::normalize(std::move(all));
}

}  // namespace sessionsim::scenario
