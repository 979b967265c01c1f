#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <limits>

#include "sim/net/csv_table.h"
#include "sim/net/latency_model.h"

namespace sessionsim::net {

std::size_t CountryRttTable::index_of(const std::string& c) {
    const auto [it, inserted] = index_.emplace(c, index_.size());
    return it->second;
}

void CountryRttTable::set(const std::string& a, const std::string& b, double rtt_ms) {
    const std::size_t i = index_of(a), j = index_of(b);
    given_[{std::min(i, j), std::max(i, j)}] = rtt_ms;
}

void CountryRttTable::complete(double same_country_default_ms) {
    using Graph =
        boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                              boost::property<boost::edge_weight_t, double>>;
    const std::size_t n = index_.size();
    Graph g(n);
    for (const auto& [pair, rtt] : given_) {
        if (pair.first != pair.second)
            boost::add_edge(pair.first, pair.second, rtt, g);
    }
    const double inf = std::numeric_limits<double>::infinity();
    rtt_.assign(n, std::vector<double>(n, inf));
    measured_ = inferred_ = 0;
    for (std::size_t s = 0; s < n; ++s) {
        std::vector<double> dist(n, inf);
        boost::dijkstra_shortest_paths(g, s,
                                       boost::distance_map(boost::make_iterator_property_map(
                                           dist.begin(), boost::get(boost::vertex_index, g))));
        for (std::size_t t = 0; t < n; ++t) {
            const auto given = given_.find({std::min(s, t), std::max(s, t)});
            if (given != given_.end()) {
                rtt_[s][t] = given->second;  // measured values stay as measured
                if (s < t)
                    ++measured_;
            } else if (s == t) {
                rtt_[s][t] = same_country_default_ms;
            } else if (dist[t] < std::numeric_limits<double>::max()) {  // Boost: max = unreachable
                rtt_[s][t] = dist[t];
                if (s < t)
                    ++inferred_;
            }
        }
    }
}

double CountryRttTable::rtt_ms(const std::string& a, const std::string& b) const {
    const auto ia = index_.find(a);
    const auto ib = index_.find(b);
    if (ia == index_.end())
        throw DataError("no latency data for country '" + a + "'");
    if (ib == index_.end())
        throw DataError("no latency data for country '" + b + "'");
    if (rtt_.empty())
        throw DataError("country latency table used before complete()");
    const double v = rtt_[ia->second][ib->second];
    if (v == std::numeric_limits<double>::infinity()) {
        throw DataError("countries '" + a + "' and '" + b +
                        "' are not connected in the latency data");
    }
    return v;
}

std::vector<std::string> CountryRttTable::countries() const {
    std::vector<std::string> out;
    for (const auto& [c, i] : index_)
        out.push_back(c);
    return out;
}

}  // namespace sessionsim::net
