#include "sim/scenario/group_workload.h"

#include "sim/scenario/client_settings.h"

#include <sstream>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <ns3/simulator.h>

#include "sim/scenario/poisson.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

GroupWorkload::GroupWorkload(const Scenario& sc, const std::vector<bool>& offline,
                             std::uint64_t seed)
    : sc_(sc), random_(seed, "groups") {
    const auto count = static_cast<std::size_t>(sc.integer("groups.count"));
    const auto size = static_cast<std::size_t>(sc.integer("groups.members"));
    if (count == 0)
        return;
    const auto members = draw_members(sc, "groups.members", count, size, offline, random_);
    for (std::size_t g = 0; g < count; ++g) {
        Group group;
        group.admin = std::make_unique<group::GroupAdmin>(derived_seed(seed, "group ", g));
        group.members = members[g];
        for (std::size_t i = 0; i < size; ++i) {
            const auto key = crypto::ed25519_from_seed(
                derived_seed(seed, "group " + std::to_string(g) + " member key ", i));
            group.invites.push_back(
                {group.admin->signing_keys().public_key, key, group.admin->invite(key.public_key)});
        }
        groups_.push_back(std::move(group));
    }
}

void GroupWorkload::schedule(SessionRun& run) {
    clients_ = run.clients;
    const double warmup = sc_.number("warmup_s");
    const double until = std::min(sc_.number("duration_s"), sc_.number("workload.send_until_s"));
    const double gap = sc_.number("groups.message_interval_s");
    const double remove_at = sc_.number("groups.remove_member_at_s");
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        ns3::Simulator::Schedule(ns3::Seconds(warmup / 2), [this, g] { create(g); });
        poisson_arrivals(random_, warmup, gap, until, [&](double t) {
            const std::size_t draw = random_.next_u64();  // which member, among those left then
            ns3::Simulator::Schedule(ns3::Seconds(t), [this, g, draw] { post(g, draw); });
        });
        if (remove_at >= 0)
            ns3::Simulator::Schedule(ns3::Seconds(remove_at), [this, g] { remove_member(g); });
    }
}

void GroupWorkload::create(std::size_t g) {
    auto& group = groups_[g];
    std::vector<identity::AccountId> ids;
    for (const auto c : group.members)
        ids.push_back(clients_[c]->Client().identity().session_id());
    clients_[group.members.front()]->PushGroupKeys(*group.admin, group.admin->rekey(ids));
    ++keys_messages_;
    for (std::size_t i = 0; i < group.members.size(); ++i)
        clients_[group.members[i]]->JoinGroup(group.invites[i]);
}

void GroupWorkload::post(std::size_t g, std::size_t draw) {
    auto& group = groups_[g];
    std::vector<std::size_t> current;
    for (const auto c : group.members) {
        if (!group.removed.contains(c))
            current.push_back(c);
    }
    const std::size_t sender = current[draw % current.size()];
    const std::uint64_t id = messages_++;
    const double now = ns3::Simulator::Now().GetSeconds();
    first_delivery_.push_back(deliveries_.size());
    for (const auto c : current) {
        if (c != sender)
            deliveries_.push_back(
                {id, g, sender, c, now, std::nullopt, std::nullopt, std::nullopt});
    }
    try {
        const auto app_id = clients_[sender]->SendGroupText(
            group.admin->account(),
            message_text(id, static_cast<std::size_t>(sc_.integer("workload.message_bytes"))));
        sent_by_[{sender, app_id}] = id;
    } catch (const InvalidInput&) {
        ++not_sent_;  // the member has no group key yet (it has not polled the group since joining)
    }
}

void GroupWorkload::remove_member(std::size_t g) {
    auto& group = groups_[g];
    std::vector<std::size_t> candidates;
    for (std::size_t i = 1; i < group.members.size(); ++i) {  // never the admin
        if (!group.removed.contains(group.members[i]))
            candidates.push_back(i);
    }
    if (candidates.empty())
        return;
    const std::size_t leaving = candidates[random_.uniform(candidates.size())];
    group.removed.insert(group.members[leaving]);
    group.removed_at_s = ns3::Simulator::Now().GetSeconds();
    for (auto& d : deliveries_) {
        if (d.group == g && d.recipient == group.members[leaving] && !d.delivered_s)
            d.recipient_removed_s = group.removed_at_s;
    }
    std::vector<identity::AccountId> ids;
    for (const auto c : group.members) {
        if (!group.removed.contains(c))
            ids.push_back(clients_[c]->Client().identity().session_id());
    }
    auto& admin_app = clients_[group.members.front()];
    admin_app->PushGroupKeys(*group.admin, group.admin->rekey(ids));
    admin_app->RevokeGroupMember(*group.admin, group.invites[leaving].token.token);
    ++keys_messages_;
}

void GroupWorkload::on_stored(SessionRun&, std::size_t client,
                              const client::MessageStored& stored) {
    record_stored(client, stored);
}

bool GroupWorkload::on_received(SessionRun&, std::size_t client, const client::MessageReceived& m,
                                std::optional<std::uint64_t>) {
    if (!m.group)
        return false;
    record_received(client, m);
    return true;
}

void GroupWorkload::summarize(const SessionRun& run, RunReport& report) {
    // Group swarms are polled every 5 s while active.
    this->report(run.duration_s,
                 2 * 5.0 + largest_client_value(run.sc, "client.request_timeout_s") *
                               static_cast<double>(run.sc.integer("client.send_attempts")),
                 report);
}

void GroupWorkload::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream out(dir / "group_messages.csv");
    write_csv(out);
}

void GroupWorkload::record_stored(std::size_t client, const client::MessageStored& stored) {
    const auto it = sent_by_.find({client, stored.message_id});
    if (it == sent_by_.end())
        return;
    const auto id = it->second;
    const std::size_t end =
        id + 1 < first_delivery_.size() ? first_delivery_[id + 1] : deliveries_.size();
    for (std::size_t i = first_delivery_[id]; i < end; ++i)
        deliveries_[i].stored_s = ns3::Simulator::Now().GetSeconds();
}

void GroupWorkload::record_received(std::size_t client, const client::MessageReceived& received) {
    const auto id = message_id_of(received.message.text);
    if (!id || *id >= first_delivery_.size())
        return;
    const std::size_t end =
        *id + 1 < first_delivery_.size() ? first_delivery_[*id + 1] : deliveries_.size();
    bool expected = false;
    for (std::size_t i = first_delivery_[*id]; i < end; ++i) {
        auto& d = deliveries_[i];
        if (d.recipient != client)
            continue;
        expected = true;
        if (!d.delivered_s)
            d.delivered_s = ns3::Simulator::Now().GetSeconds();
    }
    if (!expected)
        ++read_after_removal_;  // only a removed member gets a message not addressed to it
}

void GroupWorkload::report(double end_s, double pending_window_s, RunReport& report) const {
    std::size_t delivered = 0, stored = 0, pending = 0, cut = 0;
    std::vector<double> delay_ms;
    for (const auto& d : deliveries_) {
        stored += d.stored_s.has_value();
        if (d.delivered_s) {
            ++delivered;
            delay_ms.push_back((*d.delivered_s - d.sent_s) * 1000);
        } else if (d.recipient_removed_s) {
            ++cut;  // removed before its next poll: it never could read this one
        } else if (d.sent_s > end_s - pending_window_s) {
            ++pending;
        }
    }
    std::size_t removed = 0;
    for (const auto& g : groups_)
        removed += g.removed.size();
    const std::size_t judged = deliveries_.size() - pending - cut;
    const double n = static_cast<double>(judged);
    const double ratio = n > 0 ? delivered / n : 0.0;
    const auto delay = distribution_of(delay_ms);
    const std::size_t members = groups_.empty() ? 0 : groups_.front().members.size();
    report.summary["groups"] = {{"groups", groups_.size()},
                                {"members_per_group", members},
                                {"messages", messages_},
                                {"messages_not_sent_no_key", not_sent_},
                                {"deliveries_expected", deliveries_.size()},
                                {"deliveries_stored", stored},
                                {"deliveries_delivered", delivered},
                                {"deliveries_pending_at_end", pending},
                                {"deliveries_cut_by_removal", cut},
                                {"delivery_ratio", ratio},
                                {"delay_ms", delay.to_json()},
                                {"keys_messages", keys_messages_},
                                {"members_removed", removed},
                                {"read_after_removal", read_after_removal_}};
    std::ostringstream line;
    line << groups_.size() << " groups of " << members << ", " << messages_ << " messages, "
         << delivered << " of " << judged << " member deliveries (" << ratio * 100
         << "%), delay p50 " << ms_text(delay.p50) << ", p99 " << ms_text(delay.p99) << "; "
         << removed << " members removed, " << read_after_removal_
         << " messages read after removal";
    report.line("groups", line.str());
    report.count("group_messages", messages_);
    report.measure("group_delivery_ratio", ratio);
    report.measure("group_delay_p50_ms", delay.p50);
    report.measure("group_delay_p99_ms", delay.p99);
    report.count("group_read_after_removal", read_after_removal_);
}

void GroupWorkload::write_csv(std::ostream& out) const {
    out << "message,group,sender,recipient,sent_s,stored_s,delivered_s,delay_s,"
           "recipient_removed_s\n";
    for (const auto& d : deliveries_) {
        out << d.message << ',' << d.group << ',' << d.sender << ',' << d.recipient << ','
            << fixed(d.sent_s, 6) << ',' << (d.stored_s ? fixed(*d.stored_s, 6) : "") << ','
            << (d.delivered_s ? fixed(*d.delivered_s, 6) : "") << ','
            << (d.delivered_s ? fixed(*d.delivered_s - d.sent_s, 6) : "") << ','
            << (d.recipient_removed_s ? fixed(*d.recipient_removed_s, 6) : "") << '\n';
    }
}

}  // namespace sessionsim::scenario
