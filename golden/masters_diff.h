// What `faultdrill golden approve` shows before it replaces the masters: the
// differences between the old masters and newly recorded ones, per request,
// under the scenario's tolerances.
#ifndef FAULTDRILL_GOLDEN_MASTERS_DIFF_H_
#define FAULTDRILL_GOLDEN_MASTERS_DIFF_H_

#include <cstdint>
#include <string>

#include "core/scenario.h"
#include "golden/masters.h"

namespace faultdrill::golden {

// Requests shown in detail; the rest are counted.
inline constexpr size_t kMastersDiffDetailLimit = 20;

struct MastersDiffResult {
  uint64_t compared = 0;        // requests in both
  uint64_t changed = 0;         // of those, differing under the tolerances
  uint64_t added = 0;           // only in the new masters
  uint64_t removed = 0;         // only in the old masters
  bool header_changed = false;  // model, model_version, weights_sha256 or scenario
  // For humans, several lines ending in a summary line:
  //   model: weights_sha256 "ab12..." -> "cd34..."
  //   request 3: PROBABILITIES: 1 of 4 elements differ; max abs error 0.01 at [0,2], ...
  //       [0,2]  old 0.25  new 0.26
  //   request 9: only in the new masters
  //   64 requests in both: 1 changed; 1 added, 0 removed
  std::string text;
};

// Compares `new_masters` (actual) with `old_masters` (expected).
MastersDiffResult MastersDiff(const Masters& old_masters, const Masters& new_masters, const GoldenSpec& spec);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_DIFF_H_
