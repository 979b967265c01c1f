// The runs table: one row per run, and per swept value the mean of each column with a 95%
// Student-t interval over the repetitions.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/cli/run_table.h"

namespace sessionsim::cli {
namespace {

scenario::RunReport summary(int delivered, double fraction) {
    scenario::RunReport report;
    report.count("sent", 10);
    report.count("delivered", static_cast<std::uint64_t>(delivered));
    report.measure("delivery_ratio", 0.1 * delivered);
    report.count("delivered_late", 0);
    report.count("lost", 0);
    report.measure("loss_ratio", 0.0);
    report.measure("adversary_fraction", fraction);
    report.measure("onion_rtt_p50_ms", std::nullopt);  // measured nothing: an empty cell
    return report;
}

TEST(RunTable, RowsPerRunAndMeanWithStudentTIntervalPerValue) {
    RunTable table("adversary.fraction");
    table.add("0.1", 1, summary(7, 0.1));
    table.add("0.1", 2, summary(8, 0.1));
    table.add("0.1", 3, summary(9, 0.1));
    table.add("0.2", 1, summary(5, 0.2));
    std::ostringstream rows, aggregate;
    table.write_rows(rows);
    table.write_aggregate(aggregate);
    EXPECT_EQ(rows.str().substr(0, rows.str().find('\n')).substr(0, 33),
              "adversary.fraction,seed,sent,deli");
    EXPECT_NE(rows.str().find("\n0.1,2,10,8,0.8"), std::string::npos) << rows.str();
    // delivered 7, 8, 9: mean 8, s = 1, t(0.975, 2) = 4.3027 -> 4.3027 / sqrt(3) = 2.48414.
    EXPECT_NE(aggregate.str().find("0.1,delivered,3,8,2.48414,7,9\n"), std::string::npos)
        << aggregate.str();
    // One run: no interval. Empty columns are left out.
    EXPECT_NE(aggregate.str().find("0.2,delivered,1,5,,5,5\n"), std::string::npos);
    EXPECT_NE(aggregate.str().find("0.2,adversary_fraction,1,0.2,,0.2,0.2\n"), std::string::npos);
    EXPECT_EQ(aggregate.str().find("onion_rtt_p50_ms"), std::string::npos);
}

// A cell is written as summary.json writes the same value, so the table and the file agree.
TEST(RunTable, CellsReadLikeSummaryJson) {
    EXPECT_EQ(scenario::cell_text(scenario::Cell(std::int64_t{42})), "42");
    EXPECT_EQ(scenario::cell_text(scenario::Cell(1.0)), "1.0");
    EXPECT_EQ(scenario::cell_text(scenario::Cell(0.123457)), "0.123457");
    EXPECT_EQ(scenario::cell_text(scenario::Cell()), "");
}

// A part of the run that reports a column the table does not have is a programming error,
// caught at the first run that reports it instead of a silently missing column.
TEST(RunTable, UnknownColumnIsRefused) {
    scenario::RunReport report;
    EXPECT_THROW(report.count("no_such_column", 1), std::logic_error);
    EXPECT_THROW(report.measure("onion_rtt_p50", 1.0), std::logic_error);
}

}  // namespace
}  // namespace sessionsim::cli
