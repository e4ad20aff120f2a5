// The one monotonic clock that drives a run: load schedule, fault timeline and
// probes all read it. Tests substitute a fake (tests/core/fake_clock.h).
#ifndef FAULTDRILL_CORE_CLOCK_H_
#define FAULTDRILL_CORE_CLOCK_H_

#include <chrono>
#include <stop_token>
#include <string>

namespace faultdrill {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;

  virtual TimePoint Now() const = 0;

  // Blocks until Now() >= deadline or `stop` is requested. Returns false when it
  // returned because of `stop`. Thread-safe.
  virtual bool SleepUntil(TimePoint deadline, std::stop_token stop) = 0;
};

// The process-wide real clock (std::chrono::steady_clock). Never null.
Clock& SystemClock();

// The wall-clock time now in UTC, ISO 8601 to the second: "2026-11-21T04:10:37Z".
std::string UtcTimestamp();

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_CLOCK_H_
