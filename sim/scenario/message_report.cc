#include "sim/scenario/message_report.h"

#include <sstream>

#include "sim/scenario/survival.h"

namespace sessionsim::scenario {

void report_messages(const MessageFigures& f, bool onion_requests, std::string_view delivered_at,
                     RunReport& report) {
    report.summary.update(f.to_json());
    std::ostringstream line;
    line << f.sent << " sent, " << f.delivered << " delivered (" << f.delivery_ratio * 100 << "%), "
         << f.failed << " failed";
    report.line("messages", line.str());
    const auto& rtt = f.onion_rtt_ms;
    if (onion_requests) {
        line.str("");
        line << "p50 " << ms_text(rtt.p50) << ", p90 " << ms_text(rtt.p90) << ", p99 "
             << ms_text(rtt.p99) << " over " << f.requests_ok << " requests (" << f.request_timeouts
             << " timed out)";
        report.line("onion RTT", line.str());
    }
    const auto& delay = f.delivery_delay_ms;
    line.str("");
    line << "p50 " << ms_text(delay.p50) << ", p90 " << ms_text(delay.p90) << ", p99 "
         << ms_text(delay.p99) << " from send to " << delivered_at;
    report.line("delivery", line.str());

    const auto& sv = f.survival;
    line.str("");
    line << sv.delivered << " delivered, " << sv.delivered_late << " late, " << sv.lost << " lost";
    const char* separator = " (";
    for (const auto& [reason, count] : sv.lost_by_reason) {
        line << separator << count << " " << reason;
        separator = ", ";
    }
    line << (sv.lost_by_reason.empty() ? "" : ")") << ", " << sv.pending_at_end
         << " pending at the end";
    if (sv.awaiting_recipient > 0)
        line << ", " << sv.awaiting_recipient << " waiting for offline recipients";
    report.line("survival", line.str());

    report.count("sent", f.sent);
    report.count("delivered", f.delivered);
    report.measure("delivery_ratio", f.delivery_ratio);
    report.count("delivered_late", sv.delivered_late);
    report.count("lost", sv.lost);
    report.measure("loss_ratio", sv.loss_ratio);
    for (const auto reason : kLossReasons) {
        const auto it = sv.lost_by_reason.find(std::string(reason));
        report.count(lost_column(reason), it == sv.lost_by_reason.end() ? 0 : it->second);
    }
    report.measure("onion_rtt_p50_ms", rtt.p50);
    report.measure("delivery_delay_p50_ms", delay.p50);
    report.measure("delivery_delay_p99_ms", delay.p99);
}

void report_client_costs(const ClientCosts& c, RunReport& report) {
    std::ostringstream line;
    line << number_text(c.requests_per_client_hour) << " onion requests per client per hour ("
         << number_text(c.polls_per_client_hour) << " polls)";
    report.line("load", line.str());
    report.measure("requests_per_client_hour", c.requests_per_client_hour);
    report.measure("polls_per_client_hour", c.polls_per_client_hour);
    report.count("request_timeouts", c.request_timeouts);
    report.count("paths_dropped", c.paths_dropped);
    report.count("wrong_swarm_replies", c.wrong_swarm_replies);
    report.count("bad_replies", c.bad_replies);
    report.count("acks_rejected", c.acks_rejected);
}

void report_outage(const OutageFigures& f, std::optional<double> expected_extra_delay_s,
                   RunReport& report) {
    auto block = f.to_json();
    if (expected_extra_delay_s)
        block["expected_extra_delay_s"] = *expected_extra_delay_s;
    report.summary["outage"] = block;
    std::ostringstream line;
    line << f.during.sent << " messages sent during the " << f.duration_s / 60 << " min outage, "
         << f.during.delivered << " delivered, mean delay " << number_text(f.during.mean_delay_s)
         << " s (before it: " << number_text(f.before.mean_delay_s) << " s)";
    if (expected_extra_delay_s)
        line << "; extra " << number_text(f.mean_extra_delay_s)
             << " s vs D/2 = " << number_text(*expected_extra_delay_s) << " s expected";
    report.line("outage", line.str());
    report.count("outage_sent", f.during.sent);
    report.count("outage_delivered", f.during.delivered);
    report.measure("outage_mean_delay_s", f.during.mean_delay_s);
    report.measure("outage_extra_delay_s", f.mean_extra_delay_s);
}

}  // namespace sessionsim::scenario
