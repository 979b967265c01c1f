// Where hosts are: a country (by a configurable mix), a measured city within it where the data
// has one, and an IPv4 address. Service nodes sit in hosting providers that pack several VPSes
// into one /24 (so /24 diversity in path selection means something); clients each get their own
// /24, as home and mobile connections do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/crypto/random.h"
#include "sim/net/latency_model.h"

namespace sessionsim::net {

struct CountryShare {
    std::string country;  ///< ISO 3166-1 alpha-2
    double weight = 0;
};

/// The default service-node mix. No public per-country count of Session nodes exists (see
/// shared/data/README.md §5: "2,000+ nodes in over 50 countries", concentrated in a few hosting
/// providers). This mix is an assumption: heavy in the countries of the large VPS providers
/// operators use (Hetzner DE/FI, OVH FR/CA, Contabo DE, DigitalOcean/Vultr US/NL/SG/GB), with a
/// long tail so that about 2,000 nodes span more than 50 countries.
std::vector<CountryShare> default_node_countries();

/// The default client mix: also an assumption (no per-country user counts are public), spread
/// over large Internet populations and countries where privacy messengers are popular.
std::vector<CountryShare> default_client_countries();

/// Counts per country that add up to `total` exactly (largest remainder), in mix order.
/// Throws DataError on an empty mix or negative/zero total weight.
std::vector<std::pair<std::string, std::size_t>> apportion(const std::vector<CountryShare>& mix,
                                                           std::size_t total);

/// A hosting provider (one AS here) and the countries it has data centres in.
struct ProviderShare {
    std::string name;
    double weight = 0;
    std::vector<std::string> countries;
};

/// The default provider mix for service nodes: also an assumption (no public per-provider
/// count exists). Large VPS providers dominate, as operator guides and community node maps
/// suggest; the rest sits with small local hosts ("local-<CC>"). A country's nodes are split
/// among the providers present there in proportion to weight, local hosting included.
std::vector<ProviderShare> default_node_providers();
inline constexpr double kLocalHostingWeight = 15;

struct PlacedHost {
    Location location;
    std::uint32_t ipv4 = 0;  ///< host byte order
    std::string provider;    ///< hosting provider / AS ("isp-<CC>" for clients)
    std::uint32_t subnet24() const { return ipv4 >> 8; }
};

struct PlacementOptions {
    std::size_t hosts_per_subnet = 1;  ///< hosts sharing each /24 (providers: several)
    std::uint32_t first_address = 0;   ///< where this group's addresses start (a /24 boundary)
    /// Hosting providers to split each country's hosts among (each /24 belongs to one
    /// provider); none: every host is on a residential ISP, "isp-<CC>".
    const std::vector<ProviderShare>* providers = nullptr;
};

/// Places `count` hosts by `mix`: counts per country by apportion(), cities drawn from the
/// measured data's locations in that country (none where it has none), providers by the
/// options' mix, addresses handed out sequentially so that each /24 holds `hosts_per_subnet`
/// hosts of one country and one provider. Host order is
/// shuffled with `random` so that host index says nothing about location.
std::vector<PlacedHost> place_hosts(std::size_t count, const std::vector<CountryShare>& mix,
                                    const MeasuredLatency* cities, const PlacementOptions& options,
                                    crypto::RandomSource& random);

}  // namespace sessionsim::net
