// Applies and reverts a run's faults at their times on the timeline, on one
// clock, and records what actually happened (actual times, failures, counters).
#ifndef FAULTDRILL_INJECTORS_FAULT_SCHEDULER_H_
#define FAULTDRILL_INJECTORS_FAULT_SCHEDULER_H_

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/clock.h"
#include "core/event_log.h"
#include "core/journal.h"
#include "core/run_result.h"
#include "core/timeline.h"
#include "injectors/injector.h"

namespace faultdrill::injectors {

class FaultScheduler {
 public:
  // `injectors[i]` implements timeline.faults()[i]; `descriptions` likewise.
  // All references must outlive the scheduler. Each fault reverted without
  // error is recorded as done in `journal` (when given), which settles the
  // undo steps its injector journaled.
  FaultScheduler(const Timeline& timeline, std::vector<Injector*> injectors, Clock& clock, EventLog& events,
                 Journal* journal = nullptr);

  // Asked once, at the time of the first fault and before it is applied:
  // false stops the schedule there, and no fault is applied (the steady
  // state did not hold, so the drill must not inject anything).
  using Gate = std::function<bool()>;
  void SetBeforeFirstFault(Gate gate) { before_first_fault_ = std::move(gate); }

  // Runs the timeline's steps at start + step.at until they are done or `stop`
  // is requested. Blocks; call it on its own thread. A fault whose Apply fails
  // is marked failed and is still reverted.
  void Run(std::stop_token stop);

  // Reverts every fault that was applied (or whose apply failed) and is not yet
  // reverted, in reverse order of application. Call after Run has returned
  // (never concurrently with it). Idempotent.
  void RevertAll(const std::string& reason);

  // The faults with planned and actual times, state and counters: the
  // injector's own plus "applied", "reverted" and "failed" (0 or 1 each).
  std::vector<FaultRecord> Records() const;
  // Names of the faults applied and not yet reverted, for progress output.
  std::vector<std::string> ActiveFaults() const;

 private:
  void Apply(size_t index);
  void Revert(size_t index, const std::string& reason);

  const Timeline& timeline_;
  const std::vector<Injector*> injectors_;
  Clock& clock_;
  EventLog& events_;
  Journal* const journal_;
  Gate before_first_fault_;

  mutable absl::Mutex mu_;
  std::vector<FaultRecord> records_ ABSL_GUARDED_BY(mu_);
  std::vector<size_t> apply_order_ ABSL_GUARDED_BY(mu_);
  std::vector<bool> applied_ok_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_FAULT_SCHEDULER_H_
