// Host-to-host latency for the simulated wide-area network. A host sits in a country and, where
// the measured data has servers there, in a city (a WonderProxy server location). Models give a
// round-trip time; the channel uses half of it each way.
//   uniform   every pair has the same one-way delay (validation, teaching)
//   matrix    a user CSV of country-pair RTTs
//   measured  WonderProxy city pairs where present, else country pairs (WonderProxy medians,
//             then RIPE Atlas), with missing pairs filled by shortest paths (Boost.Graph)
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sessionsim::net {

struct Location {
    std::string country;  ///< ISO 3166-1 alpha-2
    int city = -1;        ///< WonderProxy server id, or -1
};

class LatencyModel {
public:
    virtual ~LatencyModel() = default;
    virtual double rtt_ms(const Location& a, const Location& b) const = 0;
    double one_way_ms(const Location& a, const Location& b) const { return rtt_ms(a, b) / 2; }
    virtual std::string name() const = 0;
};

class UniformLatency final : public LatencyModel {
public:
    explicit UniformLatency(double one_way_ms);
    double rtt_ms(const Location&, const Location&) const override { return 2 * one_way_; }
    std::string name() const override { return "uniform"; }

private:
    double one_way_;
};

/// Country-pair RTTs: the pairs given are kept as measured; every other pair between countries
/// that are connected gets the shortest path through measured pairs (a triangle-inequality
/// estimate), computed once with Boost.Graph.
class CountryRttTable {
public:
    void set(const std::string& a, const std::string& b, double rtt_ms);
    /// Fills the missing pairs. `same_country_default_ms` is used for countries with no
    /// measured same-country RTT.
    void complete(double same_country_default_ms);

    /// Throws DataError if a country is unknown or unreachable.
    double rtt_ms(const std::string& a, const std::string& b) const;
    bool knows(const std::string& country) const { return index_.count(country) > 0; }
    std::vector<std::string> countries() const;
    std::size_t measured_pairs() const { return measured_; }
    std::size_t inferred_pairs() const { return inferred_; }

private:
    std::size_t index_of(const std::string& c);
    std::map<std::string, std::size_t> index_;
    std::map<std::pair<std::size_t, std::size_t>, double> given_;
    std::vector<std::vector<double>> rtt_;  // filled by complete()
    std::size_t measured_ = 0, inferred_ = 0;
};

/// A user matrix: CSV with columns a,b,rtt_ms (ISO country codes). Throws DataError naming the
/// file, line and reason.
class MatrixLatency final : public LatencyModel {
public:
    explicit MatrixLatency(const std::string& csv_path, double same_country_default_ms = 10.0);
    double rtt_ms(const Location& a, const Location& b) const override;
    std::string name() const override { return "matrix"; }
    const CountryRttTable& table() const { return table_; }

private:
    CountryRttTable table_;
};

struct MeasuredLatencyOptions {
    std::string data_dir;                 ///< shared/data
    std::size_t ripe_min_samples = 1000;  ///< RIPE pairs with fewer samples are ignored
    double same_site_rtt_ms = 1.0;        ///< two hosts at one WonderProxy location
};

class MeasuredLatency final : public LatencyModel {
public:
    /// Loads the WonderProxy and RIPE files. Throws DataError naming the file and reason.
    explicit MeasuredLatency(const MeasuredLatencyOptions& options);
    double rtt_ms(const Location& a, const Location& b) const override;
    std::string name() const override { return "measured"; }

    const CountryRttTable& countries() const { return table_; }
    /// WonderProxy server ids located in a country (empty if none).
    const std::vector<int>& cities_in(const std::string& country) const;
    std::string city_name(int city) const;
    std::size_t city_pairs() const { return city_rtt_.size(); }

private:
    MeasuredLatencyOptions options_;
    CountryRttTable table_;
    std::map<int, std::pair<std::string, std::string>> cities_;  // id -> (country, name)
    std::map<std::string, std::vector<int>> cities_by_country_;
    std::map<std::pair<int, int>, double> city_rtt_;  // unordered pair (low, high)
};

}  // namespace sessionsim::net
