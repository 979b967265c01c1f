// A server outside the Session network (file server, community server, push server) on a host
// of its own: where the run places it, its app started there under a host name clients resolve,
// and every address that reached it -- which is how a run checks that such a server never saw a
// client's own address (onion requests reach it from an exit node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include <ns3/ipv4-address.h>
#include <ns3/ptr.h>

#include "sim/apps/server_app.h"

namespace sessionsim::scenario {

struct SessionRun;

class ExternalServer {
public:
    /// Appends the server's host to run.hosts: in the country the scenario key `country_key`
    /// names, with `provider` as its network and addresses from `first_address`.
    void place(SessionRun& run, const std::string& country_key, const std::string& provider,
               std::uint32_t first_address, std::uint64_t seed);
    /// Starts `app` (configured) on the host, records who reaches it and makes `host_name`
    /// resolve to the host's address.
    void start(SessionRun& run, ns3::Ptr<apps::ServerApp> app, const std::string& host_name);

    std::size_t host() const { return host_; }
    /// Distinct addresses that sent the server a request.
    std::size_t addresses_seen() const { return seen_.size(); }
    /// How many of those are in `client_addresses`.
    std::size_t clients_seen(const std::set<std::uint32_t>& client_addresses) const;

private:
    void on_request(ns3::Ipv4Address from, std::uint32_t request_bytes, std::uint32_t reply_bytes);

    std::size_t host_ = 0;
    std::set<std::uint32_t> seen_;
};

}  // namespace sessionsim::scenario
