#include <algorithm>
#include <set>

#include "sim/net/country_codes.h"
#include "sim/net/csv_table.h"
#include "sim/net/latency_model.h"

namespace sessionsim::net {
namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

UniformLatency::UniformLatency(double one_way_ms) : one_way_(one_way_ms) {
    if (!(one_way_ms >= 0))
        throw DataError("uniform one-way delay must be >= 0 ms");
}

MatrixLatency::MatrixLatency(const std::string& csv_path, double same_country_default_ms) {
    const CsvTable t = load_csv(csv_path);
    const std::size_t ca = t.column("a"), cb = t.column("b"), cr = t.column("rtt_ms");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const double rtt = number_field(t, r, cr);
        if (rtt < 0)
            throw DataError(csv_path + ": line " + std::to_string(r + 2) + ": rtt_ms is negative");
        table_.set(t.rows[r][ca], t.rows[r][cb], rtt);
    }
    if (t.rows.empty())
        throw DataError(csv_path + ": no rows");
    table_.complete(same_country_default_ms);
}

double MatrixLatency::rtt_ms(const Location& a, const Location& b) const {
    return table_.rtt_ms(a.country, b.country);
}

MeasuredLatency::MeasuredLatency(const MeasuredLatencyOptions& options) : options_(options) {
    const CountryCodes codes = CountryCodes::load();
    const std::string dir = options.data_dir + "/";

    const CsvTable servers = load_csv(dir + "servers-2020-07-19.csv");
    const std::size_t sid = servers.column("id"), scountry = servers.column("country"),
                      sname = servers.column("name");
    for (std::size_t r = 0; r < servers.rows.size(); ++r) {
        const auto code = codes.code_of(servers.rows[r][scountry]);
        if (!code) {
            throw DataError(servers.path + ": line " + std::to_string(r + 2) +
                            ": unknown country '" + servers.rows[r][scountry] + "'");
        }
        const int id = static_cast<int>(number_field(servers, r, sid));
        cities_[id] = {*code, servers.rows[r][sname]};
        cities_by_country_[*code].push_back(id);
    }

    // City pairs: directed rows, averaged over both directions where both exist. Self-pairs and
    // servers missing from the servers file (ids 292-295) are skipped.
    const CsvTable pings = load_csv(dir + "pings-2020-07-19-2020-07-20-grouped.csv.gz");
    const std::size_t psrc = pings.column("source"), pdst = pings.column("destination"),
                      pavg = pings.column("avg");
    std::map<std::pair<int, int>, std::pair<double, int>> sums;
    std::map<std::pair<std::string, std::string>, std::vector<double>> by_country;
    for (std::size_t r = 0; r < pings.rows.size(); ++r) {
        const int s = static_cast<int>(number_field(pings, r, psrc));
        const int d = static_cast<int>(number_field(pings, r, pdst));
        if (s == d || !cities_.count(s) || !cities_.count(d))
            continue;
        const double avg = number_field(pings, r, pavg);
        auto& sum = sums[{std::min(s, d), std::max(s, d)}];
        sum.first += avg;
        ++sum.second;
        const auto& a = cities_.at(s).first;
        const auto& b = cities_.at(d).first;
        by_country[{std::min(a, b), std::max(a, b)}].push_back(avg);
    }
    for (const auto& [pair, sum] : sums)
        city_rtt_[pair] = sum.first / sum.second;

    std::set<std::pair<std::string, std::string>> covered;
    std::vector<double> same_country;
    for (const auto& [pair, values] : by_country) {
        const double m = median(values);
        table_.set(pair.first, pair.second, m);
        covered.insert(pair);
        if (pair.first == pair.second)
            same_country.push_back(m);
    }

    // RIPE Atlas country pairs where WonderProxy has none, if enough samples back them. Its
    // averages are biased (anycast targets, heavy tails; see shared/data/README.md), which is
    // why WonderProxy comes first.
    const CsvTable ripe = load_csv(dir + "country_rtt_stat.csv.gz");
    const std::size_t c1 = ripe.column("cty1"), c2 = ripe.column("cty2"),
                      cnt = ripe.column("rtt_cnt"), ravg = ripe.column("rtt_avg");
    for (std::size_t r = 0; r < ripe.rows.size(); ++r) {
        const std::string& a = ripe.rows[r][c1];
        const std::string& b = ripe.rows[r][c2];
        if (!codes.is_code(a) || !codes.is_code(b))
            continue;  // "None", "Unknown"
        if (number_field(ripe, r, cnt) < static_cast<double>(options.ripe_min_samples))
            continue;
        const auto key = std::make_pair(std::min(a, b), std::max(a, b));
        if (covered.count(key))
            continue;
        const double rtt = number_field(ripe, r, ravg);
        table_.set(a, b, rtt);
        if (a == b)
            same_country.push_back(rtt);
    }
    table_.complete(same_country.empty() ? 20.0 : median(same_country));
}

double MeasuredLatency::rtt_ms(const Location& a, const Location& b) const {
    if (a.city >= 0 && b.city >= 0) {
        if (a.city == b.city)
            return options_.same_site_rtt_ms;
        const auto it = city_rtt_.find({std::min(a.city, b.city), std::max(a.city, b.city)});
        if (it != city_rtt_.end())
            return it->second;
    }
    return table_.rtt_ms(a.country, b.country);
}

const std::vector<int>& MeasuredLatency::cities_in(const std::string& country) const {
    static const std::vector<int> none;
    const auto it = cities_by_country_.find(country);
    return it == cities_by_country_.end() ? none : it->second;
}

std::string MeasuredLatency::city_name(int city) const {
    const auto it = cities_.find(city);
    return it == cities_.end() ? std::string() : it->second.second;
}

}  // namespace sessionsim::net
