#include "sim/scenario/endpoint_view.h"

#include <sstream>

#include <fstream>
#include <set>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

EndpointView::EndpointView(const Scenario& sc, std::size_t n_clients)
    : message_bytes_(static_cast<std::size_t>(sc.integer("workload.message_bytes"))) {
    const auto e = sc.integer("adversary.endpoint");
    if (e < 0)
        return;
    if (static_cast<std::size_t>(e) >= n_clients) {
        throw ScenarioError(sc.source() + ": adversary.endpoint: client " + std::to_string(e) +
                            " does not exist (" + std::to_string(n_clients) + " clients)");
    }
    client_ = static_cast<std::size_t>(e);
}

void EndpointView::summarize(const SessionRun& run, RunReport& out) {
    const auto* groups = run.feature<GroupWorkload>();
    read(run.messages, groups ? groups->deliveries() : std::vector<GroupDelivery>{},
         message_bytes_);
    report(out);
}

void EndpointView::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "endpoint.csv");
    write_csv(out);
}

void EndpointView::read(const std::vector<MessageRecord>& messages,
                        const std::vector<GroupDelivery>& group_deliveries,
                        std::size_t group_message_bytes) {
    const std::size_t client = *client_;
    for (const auto& m : messages) {
        if (m.sender == client && (m.stored_s || m.delivered_s))
            entries_.push_back({"sent", "direct", m.recipient, std::nullopt, m.sent_s, m.bytes});
        else if (m.recipient == client && m.delivered_s)
            entries_.push_back(
                {"received", "direct", m.sender, std::nullopt, *m.delivered_s, m.bytes});
    }
    std::set<std::uint64_t> sent_group_messages;
    for (const auto& d : group_deliveries) {
        if (d.sender == client && sent_group_messages.insert(d.message).second)
            entries_.push_back({"sent", "group", client, d.group, d.sent_s, group_message_bytes});
        else if (d.recipient == client && d.delivered_s)
            entries_.push_back(
                {"received", "group", d.sender, d.group, *d.delivered_s, group_message_bytes});
    }
}

void EndpointView::report(RunReport& report) const {
    std::set<std::size_t> contacts, groups, group_writers;
    std::size_t sent = 0, received = 0;
    for (const auto& e : entries_) {
        (e.direction == "sent" ? sent : received) += 1;
        if (e.group) {
            groups.insert(*e.group);
            if (e.counterpart != *client_)
                group_writers.insert(e.counterpart);
        } else {
            contacts.insert(e.counterpart);
        }
    }
    report.summary["endpoint"] = {{"client", *client_},
                                  {"messages_read_in_clear", entries_.size()},
                                  {"sent", sent},
                                  {"received", received},
                                  {"contacts", contacts.size()},
                                  {"groups", groups.size()},
                                  {"group_members_seen_writing", group_writers.size()}};
    std::ostringstream line;
    line << "spyware on client " << *client_ << " reads " << entries_.size()
         << " messages in clear (" << sent << " sent, " << received << " received), "
         << contacts.size() << " contacts, " << groups.size() << " groups and "
         << group_writers.size() << " members writing in them";
    report.line("endpoint", line.str());
}

void EndpointView::write_csv(std::ostream& out) const {
    out << "direction,kind,counterpart_client,group,time_s,bytes,content\n";
    for (const auto& e : entries_) {
        out << e.direction << ',' << e.kind << ',' << e.counterpart << ','
            << (e.group ? std::to_string(*e.group) : "") << ',' << fixed(e.at_s, 6) << ','
            << e.bytes << ",clear\n";
    }
}

}  // namespace sessionsim::scenario
