// The table a sweep or repeated runs write: one row per run (the swept value, the seed, message
// counts, losses by reason, delays, outage window, and the metadata columns where the Session
// adversary and the centralized operator share names), and over repetitions each numeric
// column's mean with a 95% Student-t interval per swept value -- many independently sampled
// networks per configuration, as Tor network research reports them.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/scenario/run_report.h"

namespace sessionsim::cli {

class RunTable {
public:
    /// `key` heads the first column: the swept scenario key, or "value" without a sweep.
    explicit RunTable(std::string key);

    /// A row: the run's cells (run_report.h) under scenario::run_table_columns().
    void add(const std::string& value, std::int64_t seed, const scenario::RunReport& report);
    /// One row per run, in the order added.
    void write_rows(std::ostream& out) const;
    /// Long format: key value, column, runs, mean, ci95 (half-width; empty for one run), min,
    /// max -- for every numeric column but the seed, per swept value.
    void write_aggregate(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace sessionsim::cli
