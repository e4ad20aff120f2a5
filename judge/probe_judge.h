// Verdicts on sampled probe values (RunResult::probes): a ProbeThreshold over
// a window (SLOs and steady-state checks), and the continuous steady-state
// checks that judge every sample while the drill runs.
#ifndef FAULTDRILL_JUDGE_PROBE_JUDGE_H_
#define FAULTDRILL_JUDGE_PROBE_JUDGE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/run_result.h"
#include "core/scenario.h"

namespace faultdrill::judge {

// The series of `probe`'s `value`, or null.
const ProbeSeries* FindSeries(const std::vector<ProbeSeries>& series, std::string_view probe,
                              std::string_view value);

// `stat` of the points with start_s <= t < end_s; nullopt when there are none.
std::optional<double> SeriesStat(const ProbeSeries& series, double start_s, double end_s,
                                 ProbeThreshold::Stat stat);

// Whether one value is within the threshold's bounds.
bool WithinBounds(const ProbeThreshold& threshold, double value);

// Checks `threshold` on the samples in the window [start_s, end_s). Fills
// every field except name and group. Metric "probe:<probe>.<value>",
// comparison "<=" (max), ">=" (min) or "within" (both). No samples in the
// window: fails, "no samples of X in window W" (nothing measured, nothing proven).
Verdict CheckProbeThreshold(const ProbeThreshold& threshold, const std::vector<ProbeSeries>& series,
                            std::string_view window_name, double start_s, double end_s);

// The continuous steady-state checks: every sample of a probe marked
// `continuous` must be healthy, and every sample of a probe value bounded by
// a continuous steady-state SLO must be within its bounds. Fed from the probe
// sampler's threads; thread-safe.
class ContinuousChecks {
 public:
  struct ProbeCheck {
    std::string probe;  // a probe's name
    std::string label;  // how verdicts name it: "health probe", "slo name"
    std::optional<ProbeThreshold> threshold;  // none: the probe's healthy flag
  };
  explicit ContinuousChecks(std::vector<ProbeCheck> checks);

  bool empty() const { return checks_.empty(); }

  // One sample of `probe` at t_s: its healthy flag and values.
  void Observe(std::string_view probe, double t_s, bool healthy, std::string_view detail,
               const std::vector<std::pair<std::string, double>>& values);

  // One verdict per check (group "steady-state", window "all", name
  // "continuous: <label>"): passed when every sample held (and there was at
  // least one); the message names how many failed and the first one.
  std::vector<Verdict> Verdicts() const;

 private:
  struct Tally {
    uint64_t samples = 0;
    uint64_t failed = 0;
    double first_failed_s = 0;
    std::string first_failure;
  };
  const std::vector<ProbeCheck> checks_;
  mutable std::mutex mu_;
  std::vector<Tally> tallies_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_PROBE_JUDGE_H_
