// Decides, while a drill runs, whether an `abort_when` condition has held
// long enough to stop it. Pure decision logic on run time: the runner feeds
// it the load's per-interval numbers and every probe sample, and stops the
// drill when Observe* returns a reason.
//
// A condition holds on an observation when:
//   error_rate:  the interval had completions and errors/completions > the threshold;
//   p99_latency: the interval had completions, and the corrected p99 of its
//                SUCCESSFUL calls is above the threshold, or none of them
//                succeeded (nothing served is no better than too slow: a
//                failed-fast call must not make the p99 look good, and an
//                interval of timeouts must still stop the drill);
//   probe:       the sample has the value and it is outside the bounds.
// It has held "for" D once the observations in a row that held cover D: for
// load conditions from the start of the first interval in the streak, for
// probes from the first sample. An observation where it does not hold (or
// that has nothing to judge, such as an interval without completions)
// breaks the streak. With `for: 0s` the first observation that holds aborts.
//
// Thread-safe: load observations come from the runner's monitor thread,
// probe samples from the sampler's threads. Once it has decided, it keeps
// its first reason.
#ifndef FAULTDRILL_JUDGE_ABORT_MONITOR_H_
#define FAULTDRILL_JUDGE_ABORT_MONITOR_H_

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/duration.h"
#include "core/scenario.h"

namespace faultdrill::judge {

class AbortMonitor {
 public:
  explicit AbortMonitor(std::vector<AbortCondition> conditions);

  bool empty() const { return conditions_.empty(); }

  // The load over (t - interval, t]: completions, errors and the corrected
  // p99 of the successful calls (load::IntervalStats). Returns the abort
  // reason when this observation decides to abort.
  std::optional<std::string> ObserveLoad(Duration t, Duration interval, uint64_t completed, uint64_t errors,
                                         Duration p99);

  // One sample of `probe` at t.
  std::optional<std::string> ObserveProbe(std::string_view probe, Duration t,
                                          const std::vector<std::pair<std::string, double>>& values);

  // The reason of the first decision, if any: "error_rate > 50% for 10s:
  // 63.2% of 812 requests failed in the second before 14.0s".
  std::optional<std::string> reason() const;

 private:
  struct Streak {
    std::optional<Duration> since;  // when the current streak began
  };
  // Updates condition i's streak with one observation; a reason when it decides.
  std::optional<std::string> Update(size_t i, bool holds, Duration streak_start, Duration t,
                                    const std::string& what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::vector<AbortCondition> conditions_;
  mutable std::mutex mu_;
  std::vector<Streak> streaks_ ABSL_GUARDED_BY(mu_);
  std::optional<std::string> reason_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_ABORT_MONITOR_H_
