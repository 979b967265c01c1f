#include "sim/scenario/push_setup.h"

#include <map>

#include <ns3/callback.h>

#include "sim/scenario/records.h"
#include "sim/scenario/run_support.h"

namespace sessionsim::scenario {

PushSetup::PushSetup(const Scenario& sc, std::uint64_t seed)
    : sc_(sc), seed_(seed), active_(sc.text("client.mode") == "push") {
    keys_ = crypto::x25519_from_secret(
        crypto::X25519SecretKey::from(derived_seed(seed, "push server", 0).view()));
    server_keys_ = {.host = "push.getsession.org", .x25519 = keys_.public_key};
}

std::vector<net::PlacedHost> PushSetup::place(const net::MeasuredLatency* cities,
                                              const net::LatencyModel& model) const {
    return {place_service_host(sc_, "push.server_country", "push-server", 0x1f000100, cities, model,
                               seed_),
            place_service_host(sc_, "push.platform_country", "push-platform", 0x1f000200, cities,
                               model, seed_)};
}

void PushSetup::install(ns3::Ptr<ns3::Node> server_node, ns3::Ipv4Address server_address,
                        ns3::Ptr<ns3::Node> platform_node, ns3::Ipv4Address platform_address,
                        std::shared_ptr<apps::NodeDirectory> directory) {
    push_ = std::make_shared<push::PushServer>(seed_);
    server_app_ = ns3::CreateObject<apps::PushServerApp>();
    server_app_->Configure(push_, keys_, seed_);
    server_app_->ConfigurePush(push_, directory, platform_address);
    server_node->AddApplication(server_app_);
    server_app_->TraceConnectWithoutContext("Request",
                                            ns3::MakeCallback(&PushSetup::on_request, this));
    directory->servers[server_keys_.host] = server_address;
    platform_app_ = ns3::CreateObject<apps::PlatformApp>();
    platform_node->AddApplication(platform_app_);
    platform_address_ = platform_address;
}

void PushSetup::on_request(ns3::Ipv4Address from, std::uint32_t, std::uint32_t) {
    addresses_seen_.insert(from.Get());
}

void PushSetup::enable(ns3::Ptr<apps::ClientApp> client) const {
    client->EnablePush(platform_address_, server_keys_, sc_.text("push.service"));
}

nlohmann::ordered_json PushSetup::summary(const std::vector<ns3::Ptr<apps::ClientApp>>& clients,
                                          const std::set<std::uint32_t>& client_addresses) const {
    std::uint64_t subscribed = 0, pushes = 0, pushed_messages = 0;
    for (const auto& c : clients) {
        subscribed += c->PushSubscribed();
        pushes += c->Client().counters().pushes;
        pushed_messages += c->Client().counters().pushed_messages;
    }
    std::size_t clients_seen = 0;
    for (const auto a : addresses_seen_)
        clients_seen += client_addresses.contains(a);
    // Colluding push server and platform: the token joins an account to a device address.
    std::size_t linkable = 0;
    for (const auto& [account, sub] : push_->subscriptions())
        linkable += platform_app_->Registrations().contains(sub.token);
    return {{"clients_subscribed", subscribed},
            {"notifications_received", pushes},
            {"messages_in_payload", pushed_messages},
            {"push_server",
             {{"accounts_known", push_->subscriptions().size()},
              {"notifications_sent", push_->log().size()},
              {"addresses_seen", addresses_seen_.size()},
              {"client_addresses_seen", clients_seen}}},
            {"platform",
             {{"tokens_with_device_address", platform_app_->Registrations().size()},
              {"deliveries", platform_app_->Deliveries().size()},
              {"undeliverable", platform_app_->Undeliverable()}}},
            {"accounts_linkable_to_device_address_if_both_collude", linkable}};
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
    for (const auto& d : platform_app_->Deliveries())
        ++deliveries[d.token];
    out << "device_token,device_ipv4,deliveries\n";
    for (const auto& [token, ipv4] : platform_app_->Registrations())
        out << token << ',' << storage::ipv4_string(ipv4) << ',' << deliveries[token] << '\n';
}

}  // namespace sessionsim::scenario
