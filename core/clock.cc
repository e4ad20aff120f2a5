#include "core/clock.h"

#include <condition_variable>
#include <ctime>
#include <mutex>

namespace faultdrill {
namespace {

class SteadyClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }

  // A stop request wakes the sleeper at once: condition_variable_any registers a
  // stop callback that notifies it. Nothing else notifies, so the cv and mutex
  // are per call and sleepers never contend.
  bool SleepUntil(TimePoint deadline, std::stop_token stop) override {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_until(lock, stop, deadline, [] { return false; });
    return !stop.stop_requested();
  }
};

}  // namespace

Clock& SystemClock() {
  static SteadyClock* const clock = new SteadyClock();  // never destroyed: usable during exit
  return *clock;
}

std::string UtcTimestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace faultdrill
