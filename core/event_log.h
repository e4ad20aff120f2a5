// A thread-safe, append-only log of what happened during a run (faults applied,
// target restarted, probe results), stamped with run time. It becomes
// RunResult::events.
#ifndef FAULTDRILL_CORE_EVENT_LOG_H_
#define FAULTDRILL_CORE_EVENT_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/clock.h"
#include "core/duration.h"
#include "core/run_result.h"

namespace faultdrill {

class EventLog {
 public:
  // Events are stamped with the time since `start` on `clock`.
  EventLog(const Clock& clock, Clock::TimePoint start) : clock_(clock), start_(start) {}

  void Add(std::string source, std::string message) {
    double t = ToSeconds(clock_.Now() - start_);
    absl::MutexLock lock(&mu_);
    events_.push_back(Event{t, std::move(source), std::move(message)});
  }

  std::vector<Event> Snapshot() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }

  double SecondsSinceStart() const { return ToSeconds(clock_.Now() - start_); }
  Clock::TimePoint start() const { return start_; }

 private:
  const Clock& clock_;
  const Clock::TimePoint start_;
  mutable absl::Mutex mu_;
  std::vector<Event> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_EVENT_LOG_H_
