// A discrete-event clock for driver tests: time moves only when someone
// sleeps, and sleeping runs every scheduled event due before the deadline, in
// time order, on the sleeping thread. With a fake transport that schedules its
// completions here, a whole load run is single-threaded and deterministic.
// Not thread-safe: one thread drives it.
#ifndef FAULTDRILL_TESTS_LOAD_EVENT_CLOCK_H_
#define FAULTDRILL_TESTS_LOAD_EVENT_CLOCK_H_

#include <functional>
#include <queue>
#include <vector>

#include "core/clock.h"

namespace faultdrill::load::testing {

class EventClock : public Clock {
 public:
  // An arbitrary non-zero epoch, so code that assumes time 0 shows up.
  EventClock() : now_(TimePoint() + std::chrono::hours(1)) {}

  TimePoint Now() const override { return now_; }

  bool SleepUntil(TimePoint deadline, std::stop_token stop) override {
    while (!events_.empty() && events_.top().at <= deadline) {
      if (stop.stop_requested()) return false;
      Event event = events_.top();
      events_.pop();
      if (event.at > now_) now_ = event.at;
      event.fn();
    }
    if (stop.stop_requested()) return false;
    if (deadline > now_) now_ = deadline;
    return true;
  }

  // Runs `fn` when time reaches `at` (ties in scheduling order).
  void Schedule(TimePoint at, std::function<void()> fn) { events_.push({at, next_order_++, std::move(fn)}); }

  size_t pending_events() const { return events_.size(); }

 private:
  struct Event {
    TimePoint at;
    uint64_t order;
    std::function<void()> fn;
    bool operator>(const Event& other) const { return at != other.at ? at > other.at : order > other.order; }
  };
  TimePoint now_;
  uint64_t next_order_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
};

}  // namespace faultdrill::load::testing

#endif  // FAULTDRILL_TESTS_LOAD_EVENT_CLOCK_H_
