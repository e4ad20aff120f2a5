#include "cli/interrupts.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

namespace faultdrill::cli {
namespace {

sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void Say(const char* text) { (void)!::write(STDERR_FILENO, text, std::strlen(text)); }

}  // namespace

void InterruptWatcher::Block() {
  sigset_t set = WatchedSignals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

InterruptWatcher::InterruptWatcher() {
  thread_ = std::jthread([this](std::stop_token own) {
    sigset_t set = WatchedSignals();
    const timespec tick{0, 100'000'000};  // re-check `own` ten times a second
    while (!own.stop_requested()) {
      int sig = ::sigtimedwait(&set, nullptr, &tick);
      if (sig <= 0) continue;
      if (signal_.exchange(sig) == 0) {
        Say("\nfaultdrill: interrupted; reverting every active fault and writing the reports…\n");
        stop_.request_stop();
      } else {
        Say("faultdrill: still reverting faults; they are taken back before faultdrill exits\n");
      }
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  thread_.request_stop();
}

}  // namespace faultdrill::cli
