// What a run reports, each part written by the code that measured it: summary.json's blocks,
// the console summary's lines and the run table's cells (the rows of runs.csv and sweep.csv).
// The console and the run table read the typed values here; nothing parses summary.json back
// in the process that wrote it, so a renamed summary key cannot break them at run time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace sessionsim::scenario {

/// A run-table cell: empty, a count or a measurement.
using Cell = std::variant<std::monostate, std::int64_t, double>;

/// The run table's columns after the swept value and the seed, in the order runs.csv and
/// sweep.csv publish them (analysis scripts read them by position as well as by name). Every
/// column exists in every run's row; a run that does not measure one leaves it empty.
const std::vector<std::string>& run_table_columns();
/// The column counting messages lost for `reason` (survival.h): "lost_" + the reason with
/// spaces and dashes as underscores.
std::string lost_column(std::string_view reason);

/// `x` as summary.json writes it (the shortest digits that read back as `x`), so that the
/// console, the tables and the file agree digit for digit.
std::string number_text(double x);
/// `x` as a run-table cell writes it: empty, the count, or number_text.
std::string cell_text(const Cell& x);
/// "499.4 ms" with one decimal, or "-" when absent.
std::string ms_text(std::optional<double> x);

class RunReport {
public:
    /// summary.json's content.
    nlohmann::ordered_json summary;

    /// Adds a console line: "  label:" in a column of its own, then `text`.
    void line(std::string_view label, std::string_view text);
    /// Sets a run-table cell to a count or a measurement (empty when absent). Throws
    /// std::logic_error for a column the table does not have: a programming error, the column
    /// belongs in run_table_columns() too.
    void count(std::string_view column, std::uint64_t n);
    void measure(std::string_view column, std::optional<double> x);

    const std::vector<std::string>& lines() const { return lines_; }
    /// The cell of `column`; empty when no part of the run set it.
    Cell cell(std::string_view column) const;

private:
    void set(std::string_view column, Cell value);
    std::vector<std::string> lines_;
    std::map<std::string, Cell, std::less<>> cells_;
};

}  // namespace sessionsim::scenario
