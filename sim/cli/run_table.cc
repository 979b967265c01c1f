#include "sim/cli/run_table.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdlib>
#include <map>

namespace sessionsim::cli {
namespace {

void write_line(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i)
        out << (i ? "," : "") << cells[i];
    out << '\n';
}

std::optional<double> number(const std::string& cell) {
    if (cell.empty())
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (end != cell.c_str() + cell.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string fixed(double v) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6g", v);
    return text;
}

}  // namespace

RunTable::RunTable(std::string key) {
    header_ = {std::move(key), "seed"};
    const auto& columns = scenario::run_table_columns();
    header_.insert(header_.end(), columns.begin(), columns.end());
}

void RunTable::add(const std::string& value, std::int64_t seed, const scenario::RunReport& report) {
    std::vector<std::string> row{value, std::to_string(seed)};
    for (const auto& column : scenario::run_table_columns())
        row.push_back(scenario::cell_text(report.cell(column)));
    rows_.push_back(std::move(row));
}

void RunTable::write_rows(std::ostream& out) const {
    write_line(out, header_);
    for (const auto& row : rows_)
        write_line(out, row);
}

void RunTable::write_aggregate(std::ostream& out) const {
    write_line(out, {header_[0], "column", "runs", "mean", "ci95", "min", "max"});
    std::vector<std::string> values;  // swept values in first-seen order
    for (const auto& row : rows_) {
        if (std::find(values.begin(), values.end(), row[0]) == values.end())
            values.push_back(row[0]);
    }
    for (const auto& value : values) {
        for (std::size_t c = 2; c < header_.size(); ++c) {  // not the value, not the seed
            std::vector<double> xs;
            for (const auto& row : rows_) {
                if (row[0] == value) {
                    if (const auto x = number(row[c]))
                        xs.push_back(*x);
                }
            }
            if (xs.empty())
                continue;
            const double n = static_cast<double>(xs.size());
            double mean = 0;
            for (const double x : xs)
                mean += x / n;
            std::string ci;
            if (xs.size() > 1) {
                double ss = 0;
                for (const double x : xs)
                    ss += (x - mean) * (x - mean);
                const boost::math::students_t t(n - 1);
                const double q = boost::math::quantile(boost::math::complement(t, 0.025));
                ci = fixed(q * std::sqrt(ss / (n - 1)) / std::sqrt(n));
            }
            write_line(out, {value, header_[c], std::to_string(xs.size()), fixed(mean), ci,
                             fixed(*std::min_element(xs.begin(), xs.end())),
                             fixed(*std::max_element(xs.begin(), xs.end()))});
        }
    }
}

}  // namespace sessionsim::cli
