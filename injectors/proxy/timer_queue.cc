#include "injectors/proxy/timer_queue.h"

#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace faultdrill::injectors::proxy {

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void TimerQueue::At(Time when, std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  pending_.emplace(when, std::move(callback));
}

void TimerQueue::Loop() {
  while (true) {
    std::function<void()> due;
    {
      absl::MutexLock lock(&mu_);
      while (!stopping_) {
        const Time now = std::chrono::steady_clock::now();
        if (!pending_.empty() && pending_.begin()->first <= now) break;
        // Wake when the first timer is due, when one is added (the condition
        // is re-checked on every change of pending_), or to stop.
        const size_t count = pending_.size();
        const Time first = pending_.empty() ? now + std::chrono::seconds(1) : pending_.begin()->first;
        auto changed = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_ || pending_.size() != count || (!pending_.empty() && pending_.begin()->first < first);
        };
        mu_.AwaitWithTimeout(absl::Condition(&changed), absl::FromChrono(first - now));
      }
      if (stopping_) return;
      due = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
    }
    due();
  }
}

}  // namespace faultdrill::injectors::proxy
