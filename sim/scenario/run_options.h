// Where a run writes and what it reports while it runs: the options every runner takes (the
// Session and centralized runners, the testbed's run loop), apart from the scenario itself.
#pragma once

#include <string>

namespace sessionsim::scenario {

struct RunOptions {
    std::string out_dir;
    std::string shared_dir;  ///< holds data/ (measured latencies)
    bool progress = true;    ///< a progress line on stderr for runs longer than a few seconds
    /// Rewrite one line in place (a terminal); otherwise a full line every 30 s of wall time,
    /// so that a log file gets a readable record instead of thousands of carriage returns.
    bool progress_in_place = true;
};

}  // namespace sessionsim::scenario
