// Reading the measured-latency CSV files (plain or .gz) with Debian's libcsv, which handles
// RFC 4180 quoting. Errors name the file, and the line where there is one.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sessionsim::net {

class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CsvTable {
    std::string path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    /// Index of a header column; throws DataError naming the file if absent.
    std::size_t column(const std::string& name) const;
};

/// Loads a CSV file whose first row is a header. A name ending in .gz is decompressed.
/// Throws DataError (file missing, unreadable, malformed, or rows of the wrong width).
CsvTable load_csv(const std::string& path);

/// Parses a number field; throws DataError naming the file, row and column.
double number_field(const CsvTable& table, std::size_t row, std::size_t column);

}  // namespace sessionsim::net
