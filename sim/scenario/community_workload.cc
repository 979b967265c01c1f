#include "sim/scenario/community_workload.h"

#include "sim/scenario/client_settings.h"

#include <sstream>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <ns3/callback.h>
#include <ns3/simulator.h>

#include "models/common/base64.h"
#include "models/message/envelope.h"
#include "models/message/padding.h"
#include "sim/scenario/poisson.h"
#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

namespace {
std::string room_name(std::size_t r) {
    return "room" + std::to_string(r);
}
}  // namespace

CommunityWorkload::CommunityWorkload(const Scenario& sc, const std::vector<bool>& offline,
                                     std::uint64_t seed)
    : sc_(sc), seed_(seed), random_(seed, "communities") {
    const auto count = static_cast<std::size_t>(sc.integer("communities.count"));
    const auto size = static_cast<std::size_t>(sc.integer("communities.members"));
    if (count == 0)
        return;
    rooms_ = draw_members(sc, "communities.members", count, size, offline, random_);
    keys_ = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(derived_seed(seed, "community server", 0).view()));
    server_keys_ = {.host = "open.getsession.org", .x25519 = keys_.public_key};
}

void CommunityWorkload::place(SessionRun& run) {
    host_.place(run, "communities.server_country", "community-server", 0x1f000300, seed_);
}

void CommunityWorkload::install(SessionRun& run) {
    std::vector<std::string> names;
    for (std::size_t r = 0; r < rooms_.size(); ++r)
        names.push_back(room_name(r));
    server_ = std::make_shared<server::CommunityServer>(keys_.public_key, names);
    auto app = ns3::CreateObject<apps::ServerApp>();
    app->Configure(server_, keys_, seed_);
    host_.start(run, app, server_keys_.host);
}

void CommunityWorkload::schedule(SessionRun& run) {
    clients_ = run.clients;
    const double warmup = sc_.number("warmup_s");
    const double until = std::min(sc_.number("duration_s"), sc_.number("workload.send_until_s"));
    const double gap = sc_.number("communities.message_interval_s");
    const double poll_gap = sc_.number("communities.poll_interval_s");
    for (std::size_t r = 0; r < rooms_.size(); ++r) {
        for (std::size_t m = 0; m < rooms_[r].size(); ++m) {
            const double first = warmup / 2 + random_.unit() * poll_gap;
            ns3::Simulator::Schedule(ns3::Seconds(first), [this, r, m] { poll(r, m); });
        }
        poisson_arrivals(random_, warmup, gap, until, [&](double t) {
            const auto draw = random_.next_u64();
            ns3::Simulator::Schedule(ns3::Seconds(t), [this, r, draw] { post(r, draw); });
        });
    }
}

void CommunityWorkload::post(std::size_t room, std::uint64_t draw) {
    const auto& members = rooms_[room];
    const std::size_t sender = members[draw % members.size()];
    const std::uint64_t id = posts_++;
    const std::size_t first = deliveries_.size();
    for (const auto c : members) {
        if (c != sender)
            deliveries_.push_back({id, room, sender, c, sim_now_s(), std::nullopt, std::nullopt});
    }
    rows_of_post_[id] = {first, deliveries_.size()};
    const auto text =
        message_text(id, static_cast<std::size_t>(sc_.integer("workload.message_bytes")));
    const auto request =
        server::community_post(clients_[sender]->Client().identity(), keys_.public_key,
                               room_name(room), text, apps::protocol_now_ms(), random_);
    clients_[sender]->ServerRequest(server_keys_, request,
                                    [this, id](const client::ServerReplied& r) {
                                        if (r.code != 201)
                                            return;
                                        const auto [begin, end] = rows_of_post_.at(id);
                                        for (std::size_t i = begin; i < end; ++i)
                                            deliveries_[i].stored_s = sim_now_s();
                                    });
}

void CommunityWorkload::poll(std::size_t room, std::size_t m) {
    const std::size_t member = rooms_[room][m];
    const auto since = last_seqno_[{room, m}];
    ++polls_;
    const auto request =
        server::community_poll(clients_[member]->Client().identity(), keys_.public_key,
                               room_name(room), since, apps::protocol_now_ms(), random_);
    clients_[member]->ServerRequest(
        server_keys_, request, [this, room, m, member](const client::ServerReplied& r) {
            const auto list = nlohmann::json::parse(r.body, nullptr, false);
            if (r.code != 200 || !list.is_array())
                return;
            for (const auto& p : list) {
                auto& last = last_seqno_[{room, m}];
                last = std::max(last, p.value("seqno", std::int64_t{0}));
                std::optional<std::uint64_t> id;
                try {
                    const Bytes data = from_base64(p.at("data").get<std::string>());
                    id = message_id_of(
                        message::parse_text_content(message::unpad_message(data)).body);
                } catch (const std::exception&) {
                    continue;
                }
                const auto rows = id ? rows_of_post_.find(*id) : rows_of_post_.end();
                if (rows == rows_of_post_.end())
                    continue;
                for (std::size_t i = rows->second.first; i < rows->second.second; ++i) {
                    if (deliveries_[i].recipient == member && !deliveries_[i].delivered_s)
                        deliveries_[i].delivered_s = sim_now_s();
                }
            }
        });
    // Apps in the background do not poll communities often (a phone app: background jobs).
    const bool background = clients_[member]->Client().background();
    ns3::Simulator::Schedule(
        ns3::Seconds(sc_.number(background ? "client.background_poll_interval_s"
                                           : "communities.poll_interval_s")),
        [this, room, m] { poll(room, m); });
}

void CommunityWorkload::report(double end_s, const std::set<std::uint32_t>& client_addresses,
                               RunReport& report) const {
    const double window = 2 * sc_.number("communities.poll_interval_s") +
                          largest_client_value(sc_, "client.request_timeout_s");
    std::size_t delivered = 0, pending = 0;
    std::vector<double> delay_ms;
    for (const auto& d : deliveries_) {
        if (d.delivered_s) {
            ++delivered;
            delay_ms.push_back((*d.delivered_s - d.sent_s) * 1000);
        } else if (d.sent_s > end_s - window) {
            ++pending;
        }
    }
    const auto clients_seen = host_.clients_seen(client_addresses);
    std::size_t memberships = 0;
    for (const auto& r : rooms_)
        memberships += r.size();
    const double n = static_cast<double>(deliveries_.size() - pending);
    const double ratio = n > 0 ? delivered / n : 0.0;
    const auto delay = distribution_of(delay_ms);
    const std::size_t members = rooms_.empty() ? 0 : rooms_.front().size();
    report.summary["communities"] = {
        {"rooms", rooms_.size()},
        {"members_per_room", members},
        {"posts", posts_},
        {"deliveries_expected", deliveries_.size()},
        {"deliveries_delivered", delivered},
        {"deliveries_pending_at_end", pending},
        {"delivery_ratio", ratio},
        {"delay_ms", delay.to_json()},
        {"polls_per_membership_hour",
         memberships ? std::round(static_cast<double>(polls_) / static_cast<double>(memberships) /
                                  (end_s / 3600) * 10) /
                           10
                     : 0.0},
        {"operator",
         {{"posts_read_in_clear", server_->posts().size()},
          {"blinded_ids_seen", server_->blinded_ids_seen().size()},
          {"addresses_seen", host_.addresses_seen()},
          {"client_addresses_seen", clients_seen}}}};
    std::ostringstream line;
    line << rooms_.size() << " rooms of " << members << ", " << posts_ << " posts, " << delivered
         << " member deliveries (" << ratio * 100 << "%), delay p50 " << ms_text(delay.p50)
         << "; the operator read " << server_->posts().size() << " posts in clear under "
         << server_->blinded_ids_seen().size() << " blinded IDs, " << clients_seen
         << " client addresses";
    report.line("community", line.str());
}

void CommunityWorkload::summarize(const SessionRun& run, RunReport& report) {
    this->report(run.duration_s, run.client_addresses, report);
}

void CommunityWorkload::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream deliveries(dir / "community_messages.csv");
    write_deliveries_csv(deliveries);
    std::ofstream server(dir / "community_server.csv");
    write_server_csv(server);
}

void CommunityWorkload::write_deliveries_csv(std::ostream& out) const {
    out << "post,room,sender,recipient,sent_s,stored_s,delivered_s\n";
    const auto opt = [](const std::optional<double>& v) { return v ? fixed(*v, 6) : ""; };
    for (const auto& d : deliveries_) {
        out << d.post << ',' << d.room << ',' << d.sender << ',' << d.recipient << ','
            << fixed(d.sent_s, 6) << ',' << opt(d.stored_s) << ',' << opt(d.delivered_s) << '\n';
    }
}

void CommunityWorkload::write_server_csv(std::ostream& out) const {
    out << "seqno,room,blinded_id,posted_s,bytes,text\n";
    for (const auto& p : server_->posts()) {
        std::string text;
        try {
            text = message::parse_text_content(message::unpad_message(p.data)).body;
        } catch (const std::exception&) {
        }
        out << p.seqno << ',' << p.room << ',' << p.session_id << ','
            << fixed(static_cast<double>(p.posted_ms - apps::kEpochMs) / 1000, 3) << ','
            << p.data.size() << ',' << text << '\n';
    }
}

}  // namespace sessionsim::scenario
