#include "sim/cli/run_table.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdlib>
#include <map>

#include "sim/scenario/survival.h"

namespace sessionsim::cli {
namespace {

using Json = nlohmann::ordered_json;

/// Measured columns beyond the message counts: name, and where summary.json has the value (the
/// first pointer present; the Session adversary's and the centralized operator's metadata
/// metrics share columns so one table compares both). Empty when absent.
struct MetricColumn {
    const char* name;
    std::vector<const char*> where;
};

const std::vector<MetricColumn>& metric_columns() {
    static const std::vector<MetricColumn> columns{
        {"onion_rtt_p50_ms", {"/onion_rtt_ms/p50"}},
        {"delivery_delay_p50_ms", {"/delivery_delay_ms/p50"}},
        {"delivery_delay_p99_ms", {"/delivery_delay_ms/p99"}},
        {"outage_sent", {"/outage/during/sent"}},
        {"outage_delivered", {"/outage/during/delivered"}},
        {"outage_mean_delay_s", {"/outage/during/mean_delay_s"}},
        {"outage_extra_delay_s", {"/outage/mean_extra_delay_s"}},
        {"requests_per_client_hour", {"/clients/requests_per_client_hour"}},
        {"polls_per_client_hour", {"/clients/polls_per_client_hour"}},
        {"group_messages", {"/groups/messages"}},
        {"group_delivery_ratio", {"/groups/delivery_ratio"}},
        {"group_delay_p50_ms", {"/groups/delay_ms/p50"}},
        {"group_delay_p99_ms", {"/groups/delay_ms/p99"}},
        {"group_read_after_removal", {"/groups/read_after_removal"}},
        {"attachments_uploaded", {"/attachments/uploaded"}},
        {"attachments_intact", {"/attachments/intact"}},
        {"attachment_upload_p50_ms", {"/attachments/upload_ms/p50"}},
        {"attachment_download_p50_ms", {"/attachments/download_ms/p50"}},
        {"push_messages_in_payload", {"/push/messages_in_payload"}},
        {"push_accounts_linkable", {"/push/accounts_linkable_to_device_address_if_both_collude"}},
        {"adversary_fraction", {"/adversary/fraction"}},
        {"guard_and_destination", {"/adversary/onion_requests/guard_and_destination"}},
        {"expected_guard_and_destination",
         {"/adversary/onion_requests/expected_guard_and_destination"}},
        {"correlation_window_s", {"/adversary/linkage/timing_correlator/window_s"}},
        {"correlator_tpr", {"/adversary/linkage/timing_correlator/tpr"}},
        {"correlator_fpr", {"/adversary/linkage/timing_correlator/fpr"}},
        {"correlator_precision", {"/adversary/linkage/timing_correlator/precision"}},
        {"best_guess_accuracy", {"/adversary/linkage/timing_correlator/best_guess_accuracy"}},
        {"relationship_linkage_rate",
         {"/adversary/relationships/relationship_linkage_rate",
          "/operator/relationship_linkage_rate"}},
        {"mean_sender_entropy_bits",
         {"/adversary/relationships/mean_sender_entropy_bits",
          "/operator/mean_sender_entropy_bits"}},
        {"social_graph_recovered",
         {"/adversary/relationships/social_graph/fraction", "/operator/social_graph/fraction"}},
        {"storage_held_fraction", {"/adversary/storage/held_fraction"}},
        {"links_both_ends_seen", {"/adversary/link_observer/both_ends_seen"}},
        {"links_correlator_tpr", {"/adversary/link_observer/timing_correlator/tpr"}},
        {"links_correlator_precision", {"/adversary/link_observer/timing_correlator/precision"}},
        {"links_best_guess_accuracy",
         {"/adversary/link_observer/timing_correlator/best_guess_accuracy"}},
        {"users_compromised_fraction", {"/adversary/users/compromised_fraction"}},
        {"mean_compromise_rate", {"/adversary/users/mean_compromise_rate"}},
        {"request_timeouts", {"/clients/request_timeouts"}},
        {"paths_dropped", {"/clients/paths_dropped"}},
        {"wrong_swarm_replies", {"/clients/wrong_swarm_replies"}},
        {"bad_replies", {"/clients/bad_replies"}},
        {"acks_rejected", {"/clients/acks_rejected"}},
        {"hostile_acts", {"/hostile/acts/total"}},
        {"acked_by_hostile", {"/hostile/messages_acked_by_hostile/count"}},
        {"acked_by_hostile_lost", {"/hostile/messages_acked_by_hostile/lost"}},
    };
    return columns;
}

void write_line(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i)
        out << (i ? "," : "") << cells[i];
    out << '\n';
}

std::optional<double> number(const std::string& cell) {
    if (cell.empty())
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (end != cell.c_str() + cell.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string fixed(double v) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6g", v);
    return text;
}

}  // namespace

RunTable::RunTable(std::string key) {
    header_ = {std::move(key),   "seed",           "sent", "delivered",
               "delivery_ratio", "delivered_late", "lost", "loss_ratio"};
    for (const auto reason : scenario::kLossReasons) {
        std::string column = "lost_" + std::string(reason);
        std::replace_if(
            column.begin(), column.end(), [](char ch) { return ch == ' ' || ch == '-'; }, '_');
        header_.push_back(column);
    }
    for (const auto& column : metric_columns())
        header_.emplace_back(column.name);
}

void RunTable::add(const std::string& value, std::int64_t seed, const Json& s) {
    const auto& m = s.at("messages");
    const auto& sv = s.at("survival");
    std::vector<std::string> row{value,
                                 std::to_string(seed),
                                 m.at("sent").dump(),
                                 m.at("delivered").dump(),
                                 m.at("delivery_ratio").dump(),
                                 sv.at("delivered_late").dump(),
                                 sv.at("lost").dump(),
                                 sv.at("loss_ratio").dump()};
    for (const auto reason : scenario::kLossReasons)
        row.push_back(std::to_string(sv.at("lost_by_reason").value(std::string(reason), 0)));
    for (const auto& column : metric_columns()) {
        std::string cell;
        for (const auto* where : column.where) {
            const Json::json_pointer at(where);
            if (s.contains(at) && !s.at(at).is_null()) {
                cell = s.at(at).dump();
                break;
            }
        }
        row.push_back(cell);
    }
    rows_.push_back(std::move(row));
}

void RunTable::write_rows(std::ostream& out) const {
    write_line(out, header_);
    for (const auto& row : rows_)
        write_line(out, row);
}

void RunTable::write_aggregate(std::ostream& out) const {
    write_line(out, {header_[0], "column", "runs", "mean", "ci95", "min", "max"});
    std::vector<std::string> values;  // swept values in first-seen order
    for (const auto& row : rows_) {
        if (std::find(values.begin(), values.end(), row[0]) == values.end())
            values.push_back(row[0]);
    }
    for (const auto& value : values) {
        for (std::size_t c = 2; c < header_.size(); ++c) {  // not the value, not the seed
            std::vector<double> xs;
            for (const auto& row : rows_) {
                if (row[0] == value) {
                    if (const auto x = number(row[c]))
                        xs.push_back(*x);
                }
            }
            if (xs.empty())
                continue;
            const double n = static_cast<double>(xs.size());
            double mean = 0;
            for (const double x : xs)
                mean += x / n;
            std::string ci;
            if (xs.size() > 1) {
                double ss = 0;
                for (const double x : xs)
                    ss += (x - mean) * (x - mean);
                const boost::math::students_t t(n - 1);
                const double q = boost::math::quantile(boost::math::complement(t, 0.025));
                ci = fixed(q * std::sqrt(ss / (n - 1)) / std::sqrt(n));
            }
            write_line(out, {value, header_[c], std::to_string(xs.size()), fixed(mean), ci,
                             fixed(*std::min_element(xs.begin(), xs.end())),
                             fixed(*std::max_element(xs.begin(), xs.end()))});
        }
    }
}

}  // namespace sessionsim::cli
