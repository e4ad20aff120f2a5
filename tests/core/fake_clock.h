// A Clock for tests: time moves only when the test says so, so load schedules,
// timelines and runners are tested on simulated time, never on sleeps.
//
//   faultdrill::testing::FakeClock clock;
//   std::jthread worker([&](std::stop_token st) { clock.SleepUntil(clock.Now() + 1s, st); ... });
//   ASSERT_TRUE(clock.WaitForSleepers(1));  // the worker is now blocked on the clock
//   clock.Advance(1s);                      // and wakes up
//
// Thread-safe: any thread may call any member.
#ifndef FAULTDRILL_TESTS_CORE_FAKE_CLOCK_H_
#define FAULTDRILL_TESTS_CORE_FAKE_CLOCK_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>

#include "core/clock.h"

namespace faultdrill::testing {

class FakeClock final : public Clock {
 public:
  // Time starts at `start` (the steady_clock epoch by default) and never moves
  // backwards.
  explicit FakeClock(TimePoint start = TimePoint{}) : now_(start) {}
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }

  // Blocks until the test moves time to `deadline` or `stop` is requested
  // (checked first: returns false whenever stop is requested, even if the
  // deadline has also passed). Returns at once when the deadline has passed.
  bool SleepUntil(TimePoint deadline, std::stop_token stop) override {
    std::unique_lock lock(mu_);
    ++sleep_calls_;
    auto pending = deadlines_.insert(deadline);
    changed_.notify_all();
    changed_.wait(lock, stop, [&] { return now_ >= deadline; });
    deadlines_.erase(pending);
    changed_.notify_all();
    return !stop.stop_requested();
  }

  // Moves time forward by `d` (>= 0) and wakes every sleeper whose deadline it reaches.
  void Advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    if (d > std::chrono::nanoseconds(0)) now_ += d;
    changed_.notify_all();
  }

  // Moves time to `t`; no effect when `t` is not in the future.
  void AdvanceTo(TimePoint t) {
    std::lock_guard lock(mu_);
    if (t > now_) now_ = t;
    changed_.notify_all();
  }

  // Moves time to the earliest deadline a sleeper waits for. False when no
  // thread is sleeping.
  bool AdvanceToNextDeadline() {
    std::lock_guard lock(mu_);
    if (deadlines_.empty()) return false;
    if (*deadlines_.begin() > now_) now_ = *deadlines_.begin();
    changed_.notify_all();
    return true;
  }

  // Threads blocked in SleepUntil now.
  size_t sleepers() const {
    std::lock_guard lock(mu_);
    return deadlines_.size();
  }

  // Calls to SleepUntil so far, finished or not.
  uint64_t sleep_calls() const {
    std::lock_guard lock(mu_);
    return sleep_calls_;
  }

  // The earliest deadline a sleeper waits for, if any.
  std::optional<TimePoint> NextDeadline() const {
    std::lock_guard lock(mu_);
    if (deadlines_.empty()) return std::nullopt;
    return *deadlines_.begin();
  }

  // Blocks the calling thread until at least `n` threads sleep on this clock,
  // so a test advances time only once the code under test waits on it.
  // `timeout` is real time, a guard against a hung test: false when it passes.
  bool WaitForSleepers(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return deadlines_.size() >= n; });
  }

  // Like WaitForSleepers, for `n` calls to SleepUntil in total (including
  // those that returned at once because their deadline had passed).
  bool WaitForSleepCalls(uint64_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return sleep_calls_ >= n; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable_any changed_;  // time, sleepers or calls changed
  TimePoint now_;                                // guarded by mu_
  std::multiset<TimePoint> deadlines_;           // guarded by mu_: one per sleeper
  uint64_t sleep_calls_ = 0;                     // guarded by mu_
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_CORE_FAKE_CLOCK_H_
