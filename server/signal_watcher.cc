#include "server/signal_watcher.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace faultdrill::server {
namespace {

sigset_t ServerSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void SignalWatcher::BlockServerSignals() {
  const sigset_t set = ServerSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(Handlers handlers)
    : handlers_(std::move(handlers)), thread_([this](std::stop_token stop) { Watch(stop); }) {}

void SignalWatcher::Watch(std::stop_token stop) {
  const sigset_t set = ServerSignals();
  const timespec poll = {0, 100'000'000};  // wake up to notice `stop`
  while (!stop.stop_requested()) {
    siginfo_t info;
    const int signal = sigtimedwait(&set, &info, &poll);
    if (signal == SIGHUP) {
      if (handlers_.on_reload) handlers_.on_reload();
    } else if (signal == SIGTERM || signal == SIGINT) {
      if (handlers_.on_terminate) handlers_.on_terminate();
    }
  }
}

}  // namespace faultdrill::server
