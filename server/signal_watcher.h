// Turns process signals into calls on an ordinary thread, so no work happens
// inside a signal handler: SIGHUP asks for a reload, SIGTERM and SIGINT for a
// graceful shutdown.
//
// BlockServerSignals must run before the process starts any thread (every
// thread inherits the blocked mask, so the signals stay pending until the
// watcher's thread takes them with sigtimedwait).
#ifndef FAULTDRILL_SERVER_SIGNAL_WATCHER_H_
#define FAULTDRILL_SERVER_SIGNAL_WATCHER_H_

#include <functional>
#include <thread>

namespace faultdrill::server {

class SignalWatcher {
 public:
  struct Handlers {
    std::function<void()> on_reload;     // SIGHUP
    std::function<void()> on_terminate;  // SIGTERM, SIGINT
  };

  // Blocks SIGHUP, SIGTERM and SIGINT in the calling thread.
  static void BlockServerSignals();

  // Starts the watching thread; the handlers run on it, one at a time.
  explicit SignalWatcher(Handlers handlers);
  // Stops and joins the thread (within about 100 ms).
  ~SignalWatcher() = default;
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void Watch(std::stop_token stop);

  const Handlers handlers_;
  std::jthread thread_;  // last: it starts after the handlers are set
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_SIGNAL_WATCHER_H_
