#include "sim/net/placement.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/net/csv_table.h"

namespace sessionsim::net {

std::vector<CountryShare> default_node_countries() {
    std::vector<CountryShare> mix{
        {"DE", 26}, {"US", 14}, {"FR", 9}, {"FI", 7}, {"NL", 6}, {"CA", 4},   {"GB", 4},
        {"SG", 3},  {"PL", 2},  {"RU", 2}, {"AU", 2}, {"JP", 2}, {"CH", 1.5}, {"SE", 1.5},
    };
    // The long tail: 40 countries at 0.4% each (about 8 nodes each at 2,000 nodes).
    for (const char* c :
         {"AT", "BE", "BG", "CZ", "DK", "EE", "ES", "GR", "HU", "IE", "IS", "IT", "LT", "LU",
          "LV", "NO", "PT", "RO", "RS", "SK", "SI", "UA", "MD", "TR", "IL", "AE", "IN", "HK",
          "KR", "TW", "MY", "TH", "VN", "ID", "ZA", "BR", "AR", "CL", "MX", "NZ"}) {
        mix.push_back({c, 0.4});
    }
    return mix;
}

std::vector<CountryShare> default_client_countries() {
    return {{"US", 18}, {"DE", 8}, {"GB", 6}, {"IN", 6}, {"FR", 5}, {"RU", 5}, {"BR", 4}, {"CA", 3},
            {"AU", 3},  {"NL", 2}, {"JP", 2}, {"IT", 2}, {"ES", 2}, {"PL", 2}, {"SE", 2}, {"CH", 2},
            {"UA", 2},  {"TR", 2}, {"ID", 2}, {"MX", 2}, {"KR", 2}, {"AR", 2}, {"ZA", 2}, {"SG", 2},
            {"NG", 2},  {"EG", 2}, {"PH", 2}, {"VN", 2}, {"IR", 2}, {"PK", 2}};
}

std::vector<std::pair<std::string, std::size_t>> apportion(const std::vector<CountryShare>& mix,
                                                           std::size_t total) {
    if (mix.empty())
        throw DataError("country mix is empty");
    double sum = 0;
    for (const auto& s : mix) {
        if (!(s.weight >= 0))
            throw DataError("country mix: weight of '" + s.country + "' is negative");
        sum += s.weight;
    }
    if (sum <= 0)
        throw DataError("country mix: weights add up to zero");
    std::vector<std::pair<std::string, std::size_t>> out;
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const double exact = static_cast<double>(total) * mix[i].weight / sum;
        const auto whole = static_cast<std::size_t>(std::floor(exact));
        out.emplace_back(mix[i].country, whole);
        remainders.emplace_back(exact - static_cast<double>(whole), i);
        given += whole;
    }
    // Largest remainders first; ties by mix order, so the result is deterministic.
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given)
        ++out[remainders[k % remainders.size()].second].second;
    return out;
}

namespace {

/// Splits a country's `count` hosts among the providers present there (local hosting too).
std::vector<std::pair<std::string, std::size_t>> providers_in(
    const std::string& country, std::size_t count, const std::vector<ProviderShare>* providers) {
    if (!providers)
        return {{"isp-" + country, count}};
    std::vector<CountryShare> here;
    for (const auto& p : *providers) {
        if (std::find(p.countries.begin(), p.countries.end(), country) != p.countries.end())
            here.push_back({p.name, p.weight});
    }
    here.push_back({"local-" + country, kLocalHostingWeight});
    return apportion(here, count);
}

}  // namespace

std::vector<ProviderShare> default_node_providers() {
    return {
        {"Hetzner", 30, {"DE", "FI", "US"}},
        {"OVH", 15, {"FR", "CA", "DE", "GB", "PL", "US", "SG", "AU"}},
        {"Contabo", 12, {"DE", "US", "GB", "SG", "JP", "AU"}},
        {"DigitalOcean", 10, {"US", "NL", "DE", "GB", "SG", "CA", "IN", "AU"}},
        {"Vultr",
         8,
         {"US", "NL", "DE", "GB", "FR", "JP", "SG", "AU", "CA", "PL", "SE", "ES", "KR", "IN", "MX",
          "BR", "ZA", "IL", "CL"}},
        {"Akamai-Linode",
         5,
         {"US", "DE", "GB", "JP", "SG", "AU", "IN", "CA", "FR", "NL", "SE", "IT", "BR", "ID",
          "ES"}},
        {"AWS", 5, {"US", "DE", "IE", "GB", "FR", "SE", "JP", "SG", "AU", "CA", "BR", "IN", "KR"}},
    };
}

std::vector<PlacedHost> place_hosts(std::size_t count, const std::vector<CountryShare>& mix,
                                    const MeasuredLatency* cities, const PlacementOptions& options,
                                    crypto::RandomSource& random) {
    if (options.hosts_per_subnet == 0 || options.hosts_per_subnet > 254) {
        throw DataError("hosts_per_subnet must be 1..254");
    }
    std::vector<PlacedHost> hosts;
    hosts.reserve(count);
    std::uint32_t subnet = options.first_address >> 8;
    for (const auto& [country, in_country] : apportion(mix, count)) {
        const std::vector<int> none;
        const auto& here = cities ? cities->cities_in(country) : none;
        for (const auto& [provider, n] : providers_in(country, in_country, options.providers)) {
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t slot = i % options.hosts_per_subnet;
                if (i > 0 && slot == 0)
                    ++subnet;  // a new /24 (one country and provider per /24)
                PlacedHost h;
                h.location.country = country;
                h.location.city = here.empty() ? -1 : here[random.uniform(here.size())];
                h.provider = provider;
                h.ipv4 = (subnet << 8) | static_cast<std::uint32_t>(slot + 1);
                hosts.push_back(h);
            }
            if (n > 0)
                ++subnet;
        }
    }
    random.shuffle(std::span(hosts));
    return hosts;
}

}  // namespace sessionsim::net
