// The features a Session run can have, in the order their hooks run (feature.h). Adding a
// feature: a class implementing Feature in its own file pair, and one line in
// feature_registry.cc.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sim/scenario/feature.h"

namespace sessionsim::scenario {

struct SessionRun;

/// The features run.sc turns on, configured from it, in hook order. Every registered feature
/// is constructed (so that its keys are checked) whether or not it is active.
std::vector<std::unique_ptr<Feature>> make_features(const SessionRun& run);

/// summary.json's blocks after the runner's own, in the order results have always had them
/// (which is not the hook order: the push server is placed after the file server but reported
/// before it). A block not listed here follows in the order the features added it.
const std::vector<std::string_view>& summary_block_order();

}  // namespace sessionsim::scenario
