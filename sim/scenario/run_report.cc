#include "sim/scenario/run_report.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "sim/scenario/survival.h"

namespace sessionsim::scenario {

const std::vector<std::string>& run_table_columns() {
    static const std::vector<std::string> columns = [] {
        std::vector<std::string> out{"sent",           "delivered", "delivery_ratio",
                                     "delivered_late", "lost",      "loss_ratio"};
        for (const auto reason : kLossReasons)
            out.push_back(lost_column(reason));
        // The measured columns: each is set by the part of the run that measures it (grep the
        // name). The Session adversary and the centralized operator share the metadata columns
        // so that one table compares both messengers.
        for (const char* column : {
                 "onion_rtt_p50_ms",
                 "delivery_delay_p50_ms",
                 "delivery_delay_p99_ms",
                 "outage_sent",
                 "outage_delivered",
                 "outage_mean_delay_s",
                 "outage_extra_delay_s",
                 "requests_per_client_hour",
                 "polls_per_client_hour",
                 "group_messages",
                 "group_delivery_ratio",
                 "group_delay_p50_ms",
                 "group_delay_p99_ms",
                 "group_read_after_removal",
                 "attachments_uploaded",
                 "attachments_intact",
                 "attachment_upload_p50_ms",
                 "attachment_download_p50_ms",
                 "push_messages_in_payload",
                 "push_accounts_linkable",
                 "adversary_fraction",
                 "guard_and_destination",
                 "expected_guard_and_destination",
                 "correlation_window_s",
                 "correlator_tpr",
                 "correlator_fpr",
                 "correlator_precision",
                 "best_guess_accuracy",
                 "relationship_linkage_rate",
                 "mean_sender_entropy_bits",
                 "social_graph_recovered",
                 "storage_held_fraction",
                 "links_both_ends_seen",
                 "links_correlator_tpr",
                 "links_correlator_precision",
                 "links_best_guess_accuracy",
                 "users_compromised_fraction",
                 "mean_compromise_rate",
                 "request_timeouts",
                 "paths_dropped",
                 "wrong_swarm_replies",
                 "bad_replies",
                 "acks_rejected",
                 "hostile_acts",
                 "acked_by_hostile",
                 "acked_by_hostile_lost",
             })
            out.emplace_back(column);
        return out;
    }();
    return columns;
}

std::string lost_column(std::string_view reason) {
    std::string column = "lost_" + std::string(reason);
    std::replace_if(
        column.begin(), column.end(), [](char ch) { return ch == ' ' || ch == '-'; }, '_');
    return column;
}

std::string number_text(double x) {
    return nlohmann::json(x).dump();
}

std::string cell_text(const Cell& x) {
    if (const auto* n = std::get_if<std::int64_t>(&x))
        return std::to_string(*n);
    if (const auto* v = std::get_if<double>(&x))
        return number_text(*v);
    return "";
}

std::string ms_text(std::optional<double> x) {
    if (!x)
        return "-";
    char text[64];
    std::snprintf(text, sizeof(text), "%.1f ms", *x);
    return text;
}

void RunReport::line(std::string_view label, std::string_view text) {
    std::string head = "  " + std::string(label) + ":";
    head.resize(std::max<std::size_t>(head.size() + 1, 14), ' ');
    lines_.push_back(head + std::string(text));
}

void RunReport::count(std::string_view column, std::uint64_t n) {
    set(column, Cell(static_cast<std::int64_t>(n)));
}

void RunReport::measure(std::string_view column, std::optional<double> x) {
    set(column, x ? Cell(*x) : Cell());
}

void RunReport::set(std::string_view column, Cell value) {
    const auto& columns = run_table_columns();
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
        throw std::logic_error("run table has no column " + std::string(column) +
                               " (add it to run_table_columns())");
    cells_.insert_or_assign(std::string(column), value);
}

Cell RunReport::cell(std::string_view column) const {
    const auto it = cells_.find(column);
    return it == cells_.end() ? Cell() : it->second;
}

}  // namespace sessionsim::scenario
