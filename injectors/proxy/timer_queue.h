// Runs callbacks at given times on one thread of its own, so that holding a
// call (delay, pacing, deadline) never blocks a gRPC thread.
#ifndef FAULTDRILL_INJECTORS_PROXY_TIMER_QUEUE_H_
#define FAULTDRILL_INJECTORS_PROXY_TIMER_QUEUE_H_

#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace faultdrill::injectors::proxy {

class TimerQueue {
 public:
  using Time = std::chrono::steady_clock::time_point;

  TimerQueue();
  // Stops the thread; callbacks not yet run are dropped without running.
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `callback` on the timer thread at `when` (at once when it has
  // passed). Callbacks run one at a time, without any lock of the queue held,
  // and may call At again.
  void At(Time when, std::function<void()> callback);

 private:
  void Loop();

  absl::Mutex mu_;
  std::multimap<Time, std::function<void()>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_TIMER_QUEUE_H_
