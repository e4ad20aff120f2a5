// Turns SIGINT and SIGTERM into a stop request. Block() must run in main()
// before any thread starts, so every thread inherits the blocked mask and only
// the watcher thread ever sees these signals.
#ifndef FAULTDRILL_CLI_INTERRUPTS_H_
#define FAULTDRILL_CLI_INTERRUPTS_H_

#include <atomic>
#include <stop_token>
#include <thread>

namespace faultdrill::cli {

class InterruptWatcher {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread (and threads it starts later).
  static void Block();

  // Starts watching; the first signal requests stop on the returned token.
  InterruptWatcher();
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  std::stop_token token() const { return stop_.get_token(); }
  // The signal that requested the stop, or 0.
  int signal() const { return signal_.load(); }

 private:
  std::stop_source stop_;
  std::atomic<int> signal_{0};
  std::jthread thread_;
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_INTERRUPTS_H_
