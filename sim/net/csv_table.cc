#include "sim/net/csv_table.h"

#include <csv.h>
#include <zlib.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace sessionsim::net {
namespace {

std::string read_file(const std::string& path) {
    if (path.size() > 3 && path.ends_with(".gz")) {
        gzFile f = gzopen(path.c_str(), "rb");
        if (!f)
            throw DataError(path + ": cannot open");
        std::string out;
        char buf[1 << 16];
        int n;
        while ((n = gzread(f, buf, sizeof(buf))) > 0)
            out.append(buf, static_cast<std::size_t>(n));
        const bool failed = n < 0;
        gzclose(f);
        if (failed)
            throw DataError(path + ": not a valid gzip file");
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path + ": cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Builder {
    CsvTable* table;
    std::vector<std::string> row;
};

void on_field(void* data, std::size_t len, void* ctx) {
    auto* b = static_cast<Builder*>(ctx);
    b->row.emplace_back(static_cast<const char*>(data), len);
}

void on_row(int, void* ctx) {
    auto* b = static_cast<Builder*>(ctx);
    if (b->table->header.empty()) {
        b->table->header = std::move(b->row);
    } else {
        b->table->rows.push_back(std::move(b->row));
    }
    b->row.clear();
}

}  // namespace

std::size_t CsvTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name)
            return i;
    }
    throw DataError(path + ": no column '" + name + "'");
}

CsvTable load_csv(const std::string& path) {
    const std::string text = read_file(path);
    CsvTable table{path, {}, {}};
    Builder builder{&table, {}};
    csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL) != 0)
        throw DataError("libcsv failed to initialise");
    const std::size_t done =
        csv_parse(&parser, text.data(), text.size(), on_field, on_row, &builder);
    const int err = csv_error(&parser);
    csv_fini(&parser, on_field, on_row, &builder);
    csv_free(&parser);
    if (done != text.size())
        throw DataError(path + ": " + csv_strerror(err));
    if (table.header.empty())
        throw DataError(path + ": empty file");
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        if (table.rows[i].size() != table.header.size()) {
            throw DataError(path + ": line " + std::to_string(i + 2) + " has " +
                            std::to_string(table.rows[i].size()) + " fields, the header has " +
                            std::to_string(table.header.size()));
        }
    }
    return table;
}

double number_field(const CsvTable& table, std::size_t row, std::size_t column) {
    const std::string& s = table.rows.at(row).at(column);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        throw DataError(table.path + ": line " + std::to_string(row + 2) + ", column '" +
                        table.header.at(column) + "': '" + s + "' is not a number");
    }
    return v;
}

}  // namespace sessionsim::net
