#include "sim/scenario/external_server.h"

#include <ns3/callback.h>

#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

void ExternalServer::place(SessionRun& run, const std::string& country_key,
                           const std::string& provider, std::uint32_t first_address,
                           std::uint64_t seed) {
    host_ = run.hosts.size();
    run.hosts.push_back(place_service_host(run.sc, country_key, provider, first_address,
                                           run.plan.cities, *run.plan.model, seed));
}

void ExternalServer::start(SessionRun& run, ns3::Ptr<apps::ServerApp> app,
                           const std::string& host_name) {
    run.wan.nodes.Get(static_cast<std::uint32_t>(host_))->AddApplication(app);
    app->TraceConnectWithoutContext("Request",
                                    ns3::MakeCallback(&ExternalServer::on_request, this));
    run.directory->servers[host_name] = run.wan.addresses[host_];
}

std::size_t ExternalServer::clients_seen(const std::set<std::uint32_t>& client_addresses) const {
    std::size_t n = 0;
    for (const auto a : seen_)
        n += client_addresses.contains(a);
    return n;
}

void ExternalServer::on_request(ns3::Ipv4Address from, std::uint32_t, std::uint32_t) {
    seen_.insert(from.Get());
}

}  // namespace sessionsim::scenario
