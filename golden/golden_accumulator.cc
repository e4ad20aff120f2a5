#include "golden/golden_accumulator.h"

#include <algorithm>
#include <optional>

namespace faultdrill::golden {

GoldenAccumulator::GoldenAccumulator(std::vector<Window> windows, std::string against) : windows_(std::move(windows)) {
  results_.resize(windows_.size());
  for (size_t i = 0; i < windows_.size(); ++i) {
    results_[i].window = windows_[i].name;
    results_[i].against = against;
  }
}

void GoldenAccumulator::Add(Duration intended, uint64_t request_index, const ResponseComparison& comparison) {
  std::optional<ResponseDiff> diff;
  if (comparison.differs) diff = ToResponseDiff(comparison, ToSeconds(intended), request_index);
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (!windows_[i].Contains(intended)) continue;
    GoldenWindowResult& r = results_[i];
    ++r.compared;
    r.max_abs_error = std::max(r.max_abs_error, comparison.max_abs_error);
    r.max_rel_error = std::max(r.max_rel_error, comparison.max_rel_error);
    r.max_ulp = std::max(r.max_ulp, comparison.max_ulp);
    r.argmax_disagreements += comparison.argmax_disagreements;
    r.top_k_disagreements += comparison.top_k_disagreements;
    r.max_edit_distance = std::max(r.max_edit_distance, comparison.max_edit_distance);
    if (!diff) continue;
    ++r.differing;
    if (r.first_differences.size() < kFirstDifferencesPerWindow) r.first_differences.push_back(*diff);
  }
}

void GoldenAccumulator::AddWithoutMaster(Duration intended) {
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (windows_[i].Contains(intended)) ++results_[i].without_master;
  }
}

std::vector<GoldenWindowResult> GoldenAccumulator::Results() const {
  absl::MutexLock lock(&mu_);
  return results_;
}

}  // namespace faultdrill::golden
