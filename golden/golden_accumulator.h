// Accumulates response comparisons into one GoldenWindowResult per window of
// the run (core/timeline.h). A response counts in every window that contains
// its INTENDED send time, like the recorder's latency. Each window keeps at
// most kFirstDifferencesPerWindow differences, in arrival order, so memory
// does not grow with the run.
//
// Thread-safety: Add and AddWithoutMaster may be called from any thread
// concurrently; each takes one short lock. A comparison where nothing differs
// allocates nothing; a differing one builds its ResponseDiff before locking.
#ifndef FAULTDRILL_GOLDEN_GOLDEN_ACCUMULATOR_H_
#define FAULTDRILL_GOLDEN_GOLDEN_ACCUMULATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/duration.h"
#include "core/run_result.h"
#include "core/timeline.h"
#include "golden/response_compare.h"

namespace faultdrill::golden {

inline constexpr size_t kFirstDifferencesPerWindow = 5;

class GoldenAccumulator {
 public:
  // `against`: "masters", or "primary" for a shadow comparison.
  GoldenAccumulator(std::vector<Window> windows, std::string against);

  GoldenAccumulator(const GoldenAccumulator&) = delete;
  GoldenAccumulator& operator=(const GoldenAccumulator&) = delete;

  // `intended`: the request's intended send time, from the start of the load.
  void Add(Duration intended, uint64_t request_index, const ResponseComparison& comparison);
  // A response with nothing to compare against (no master for its request).
  void AddWithoutMaster(Duration intended);

  // One result per window, in the windows' order.
  std::vector<GoldenWindowResult> Results() const;

 private:
  // Constant after construction.
  const std::vector<Window> windows_;

  mutable absl::Mutex mu_;
  std::vector<GoldenWindowResult> results_ ABSL_GUARDED_BY(mu_);  // parallel to windows_
};

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_GOLDEN_ACCUMULATOR_H_
