#include "sim/scenario/push_setup.h"

#include <sstream>

#include <fstream>
#include <map>

#include <ns3/callback.h>

#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

PushSetup::PushSetup(const Scenario& sc, std::uint64_t seed)
    : sc_(sc),
      seed_(seed),
      active_(sc.text("client.mode") == "push"),
      subscribe_random_(seed, "push subscriptions") {
    const auto devices = static_cast<std::size_t>(sc.integer("network.clients"));
    const auto per_frontend = static_cast<std::size_t>(sc.integer("push.devices_per_frontend"));
    frontend_count_ = std::max<std::size_t>(1, (devices + per_frontend - 1) / per_frontend);
    keys_ = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(derived_seed(seed, "push server", 0).view()));
    server_keys_ = {.host = "push.getsession.org", .x25519 = keys_.public_key};
}

void PushSetup::place(SessionRun& run) {
    host_.place(run, "push.server_country", "push-server", 0x1f000100, seed_);
    // One data centre: every front-end at the same place, each on its own /24 (the first where
    // a single-host platform always was).
    for (std::size_t k = 0; k < frontend_count_; ++k) {
        const auto first = k == 0 ? 0x1f000200u : 0x1f010000u + static_cast<std::uint32_t>(k << 8);
        run.hosts.push_back(place_service_host(sc_, "push.platform_country", "push-platform", first,
                                               run.plan.cities, *run.plan.model, seed_));
    }
}

void PushSetup::install(SessionRun& run) {
    const auto& nodes = run.wan.nodes;
    const auto& addresses = run.wan.addresses;
    const auto first = host_.host();
    for (std::size_t k = 0; k < frontend_count_; ++k) {
        const auto at = static_cast<std::uint32_t>(first + 1 + k);
        platform_apps_.push_back(ns3::CreateObject<apps::PlatformApp>());
        nodes.Get(at)->AddApplication(platform_apps_.back());
        frontends_.addresses.push_back(addresses[at]);
    }
    push_ = std::make_shared<push::PushServer>(seed_);
    server_app_ = ns3::CreateObject<apps::PushServerApp>();
    server_app_->Configure(push_, keys_, seed_);
    server_app_->ConfigurePush(push_, run.directory, frontends_);
    host_.start(run, server_app_, server_keys_.host);
}

void PushSetup::configure_client(SessionRun&, std::size_t, apps::ClientApp& client) {
    const double warmup_s = sc_.number("warmup_s");
    client.EnablePush(frontends_, server_keys_, sc_.text("push.service"),
                      ns3::Seconds(warmup_s * subscribe_random_.unit()));
}

void PushSetup::report(const std::vector<ns3::Ptr<apps::ClientApp>>& clients,
                       const std::set<std::uint32_t>& client_addresses, RunReport& report) const {
    std::uint64_t subscribed = 0, pushes = 0, pushed_messages = 0;
    for (const auto& c : clients) {
        subscribed += c->PushSubscribed();
        pushes += c->Client().counters().pushes;
        pushed_messages += c->Client().counters().pushed_messages;
    }
    const auto clients_seen = host_.clients_seen(client_addresses);
    // Colluding push server and platform: the token joins an account to a device address.
    // The platform is one party, whichever front-end a device used.
    std::map<std::string, std::uint32_t> registrations;
    std::size_t deliveries = 0;
    std::uint64_t undeliverable = 0;
    for (const auto& app : platform_apps_) {
        registrations.insert(app->Registrations().begin(), app->Registrations().end());
        deliveries += app->Deliveries().size();
        undeliverable += app->Undeliverable();
    }
    std::size_t linkable = 0;
    for (const auto& [account, sub] : push_->subscriptions())
        linkable += registrations.contains(sub.token);
    report.summary["push"] = {{"clients_subscribed", subscribed},
                              {"notifications_received", pushes},
                              {"messages_in_payload", pushed_messages},
                              {"push_server",
                               {{"accounts_known", push_->subscriptions().size()},
                                {"notifications_sent", push_->log().size()},
                                {"addresses_seen", host_.addresses_seen()},
                                {"client_addresses_seen", clients_seen}}},
                              {"platform",
                               {{"frontends", platform_apps_.size()},
                                {"tokens_with_device_address", registrations.size()},
                                {"deliveries", deliveries},
                                {"undeliverable", undeliverable}}},
                              {"accounts_linkable_to_device_address_if_both_collude", linkable}};
    std::ostringstream line;
    line << subscribed << " devices subscribed, " << pushes << " notifications, " << pushed_messages
         << " messages delivered in them; the push server knows " << push_->subscriptions().size()
         << " accounts with their device tokens (and " << clients_seen
         << " client addresses), the platform " << registrations.size()
         << " tokens with device addresses: together " << linkable
         << " accounts tied to an address";
    report.line("push", line.str());
    report.count("push_messages_in_payload", pushed_messages);
    report.count("push_accounts_linkable", linkable);
}

void PushSetup::summarize(const SessionRun& run, RunReport& report) {
    this->report(run.clients, run.client_addresses, report);
}

void PushSetup::write(const SessionRun&, const std::filesystem::path& dir) const {
    std::ofstream server(dir / "push_server.csv");
    write_push_server_csv(server);
    std::ofstream platform(dir / "platform.csv");
    write_platform_csv(platform);
}

void PushSetup::write_push_server_csv(std::ostream& out) const {
    struct Row {
        std::string token, service;
        std::size_t notifications = 0, bytes = 0;
        std::int64_t first_ms = 0, last_ms = 0;
    };
    std::map<std::string, Row> rows;
    for (const auto& [account, sub] : push_->subscriptions())
        rows[account] = {sub.token, sub.service};
    for (const auto& e : push_->log()) {
        auto& r = rows[e.account];
        if (r.notifications++ == 0)
            r.first_ms = e.at_ms;
        r.last_ms = e.at_ms;
        r.bytes += e.bytes;
    }
    out << "account,service,device_token,notifications,message_bytes,first_s,last_s\n";
    const auto secs = [](std::int64_t ms) {
        return ms == 0 ? std::string() : fixed(static_cast<double>(ms - apps::kEpochMs) / 1000, 3);
    };
    for (const auto& [account, r] : rows) {
        out << account << ',' << r.service << ',' << r.token << ',' << r.notifications << ','
            << r.bytes << ',' << secs(r.first_ms) << ',' << secs(r.last_ms) << '\n';
    }
}

void PushSetup::write_platform_csv(std::ostream& out) const {
    std::map<std::string, std::size_t> deliveries;
    std::map<std::string, std::uint32_t> registrations;
    for (const auto& app : platform_apps_) {
        for (const auto& d : app->Deliveries())
            ++deliveries[d.token];
        registrations.insert(app->Registrations().begin(), app->Registrations().end());
    }
    out << "device_token,device_ipv4,deliveries\n";
    for (const auto& [token, ipv4] : registrations)
        out << token << ',' << storage::ipv4_string(ipv4) << ',' << deliveries[token] << '\n';
}

}  // namespace sessionsim::scenario
